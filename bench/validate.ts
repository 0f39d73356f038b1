/**
 * Start-up cost of `mailpolicy validate` on one file against a bare Node start-up.
 * Target (issue 2): validate under 2x `node -e ""`. Run: npm run build && node dist/bench/validate.js [runs]
 * Spawns the real CLI (bin/mailpolicy.js) and `node -e ""` alternately, N times each, with the
 * same Node binary, and prints both means and the ratio. A third series runs the unbundled
 * modules (dist/src/cli) instead of the bundle bin/mailpolicy.js loads, to show what bundling buys.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root';
import { unbundledCliDriver } from './cli-drivers';
import { mean, median } from './stats';

const root = packageRoot();
const runs = Number(process.argv[2] ?? 30);
const file = join('stacks', 'contoso-worldwide.mailpolicy.yaml');

function timeOnce(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

const series = {
  bare: { args: ['-e', ''], times: [] as number[] },
  cli: { args: [join('bin', 'mailpolicy.js'), 'validate', file], times: [] as number[] },
  unbundled: { args: ['-e', unbundledCliDriver(root, ['validate', file])], times: [] as number[] },
};
// Warm the file-system cache, then interleave so load on the machine hits every series alike.
for (const s of Object.values(series)) timeOnce(s.args);
for (let i = 0; i < runs; i++) for (const s of Object.values(series)) s.times.push(timeOnce(s.args));
const bare = series.bare.times;
const validate = series.cli.times;
const unbundled = series.unbundled.times;
const ratio = mean(validate) / mean(bare);
process.stdout.write(
  [
    `runs: ${runs} each (node ${process.version})`,
    `node -e "":                      mean ${mean(bare).toFixed(1)} ms, median ${median(bare).toFixed(1)} ms`,
    `mailpolicy validate ${file}: mean ${mean(validate).toFixed(1)} ms, median ${median(validate).toFixed(1)} ms`,
    `ratio validate / node: ${ratio.toFixed(2)} (median ratio ${(median(validate) / median(bare)).toFixed(2)}; target < 2)`,
    `the same from the unbundled modules (dist/src/cli): mean ${mean(unbundled).toFixed(1)} ms, ratio ${(mean(unbundled) / mean(bare)).toFixed(2)}`,
    '',
  ].join('\n'),
);
