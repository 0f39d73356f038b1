/**
 * Start-up cost of `mailpolicy validate` on one file against a bare Node start-up.
 * Target (issue 2): validate under 2x `node -e ""`. Run: npm run build && node dist/bench/validate.js [runs]
 * Spawns the real CLI (bin/mailpolicy.js) and `node -e ""` alternately, N times each, with the
 * same Node binary, and prints both means and the ratio.
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

const bare: number[] = [];
const validate: number[] = [];
// Warm the file-system cache, then alternate so load on the machine hits both sides alike.
timeOnce(['-e', '']);
timeOnce([join('bin', 'mailpolicy.js'), 'validate', file]);
for (let i = 0; i < runs; i++) {
  bare.push(timeOnce(['-e', '']));
  validate.push(timeOnce([join('bin', 'mailpolicy.js'), 'validate', file]));
}
const ratio = mean(validate) / mean(bare);
process.stdout.write(
  [
    `runs: ${runs} each (node ${process.version})`,
    `node -e "":                      mean ${mean(bare).toFixed(1)} ms, median ${median(bare).toFixed(1)} ms`,
    `mailpolicy validate ${file}: mean ${mean(validate).toFixed(1)} ms, median ${median(validate).toFixed(1)} ms`,
    `ratio validate / node: ${ratio.toFixed(2)} (median ratio ${(median(validate) / median(bare)).toFixed(2)}; target < 2)`,
    '',
  ].join('\n'),
);
