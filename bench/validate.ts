/**
 * Start-up cost of `mailpolicy validate` on one file against a bare Node start-up.
 * Target (issue 2): validate under 2x `node -e ""`. Run: npm run build && node dist/bench/validate.js [runs]
 * Spawns the real CLI (bin/mailpolicy.js) and `node -e ""` alternately, N times each, with the
 * same Node binary, and prints both means and the ratio. A third series runs the validate
 * command alone on commander (without loading the other commands' modules), to tell the cost of
 * validating from the cost of the rest of the CLI.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const runs = Number(process.argv[2] ?? 30);
const file = join('stacks', 'contoso-worldwide.mailpolicy.yaml');

function timeOnce(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const aloneDriver = [
  // As bin/mailpolicy.js does.
  "require('node:module').enableCompileCache?.();",
  `const { Command } = require(${JSON.stringify(require.resolve('commander'))});`,
  `const { validateCommand } = require(${JSON.stringify(join(root, 'dist', 'src', 'cli', 'commands', 'validate.js'))});`,
  'const program = new Command("mailpolicy").exitOverride(); let code = 0;',
  'validateCommand.register(program, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, (c) => { code = c; });',
  `program.parseAsync(["validate", ${JSON.stringify(file)}], { from: "user" }).then(() => { process.exitCode = code; });`,
].join('\n');

const series = {
  bare: { args: ['-e', ''], times: [] as number[] },
  cli: { args: [join('bin', 'mailpolicy.js'), 'validate', file], times: [] as number[] },
  alone: { args: ['-e', aloneDriver], times: [] as number[] },
};
// Warm the file-system cache, then interleave so load on the machine hits every series alike.
for (const s of Object.values(series)) timeOnce(s.args);
for (let i = 0; i < runs; i++) for (const s of Object.values(series)) s.times.push(timeOnce(s.args));
const bare = series.bare.times;
const validate = series.cli.times;
const alone = series.alone.times;
const ratio = mean(validate) / mean(bare);
process.stdout.write(
  [
    `runs: ${runs} each (node ${process.version})`,
    `node -e "":                      mean ${mean(bare).toFixed(1)} ms, median ${median(bare).toFixed(1)} ms`,
    `mailpolicy validate ${file}: mean ${mean(validate).toFixed(1)} ms, median ${median(validate).toFixed(1)} ms`,
    `ratio validate / node: ${ratio.toFixed(2)} (median ratio ${(median(validate) / median(bare)).toFixed(2)}; target < 2)`,
    `validate command alone (commander + loader, no other command modules): mean ${mean(alone).toFixed(1)} ms, ratio ${(mean(alone) / mean(bare)).toFixed(2)}`,
    '',
  ].join('\n'),
);
