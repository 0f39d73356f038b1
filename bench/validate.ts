/**
 * Start-up cost of `mailpolicy validate` on one file against a bare Node start-up.
 * Target (issue 2): validate under 2x `node -e ""`. Run: npm run build && node dist/bench/validate.js [runs]
 * Spawns the real CLI (bin/mailpolicy.js) and `node -e ""` alternately, measured as bench/startup
 * does for check too (median wall and CPU time, and their ratios). A third series runs the
 * unbundled modules (dist/src/cli) instead of the bundle bin/mailpolicy.js loads, to show what
 * bundling buys.
 */
import { join } from 'node:path';
import { packageRoot } from '../src/package-root';
import { unbundledCliDriver } from './cli-drivers';
import { compareStartup } from './startup';

const root = packageRoot();
const runs = Number(process.argv[2] ?? 30);
const file = join('stacks', 'contoso-worldwide.mailpolicy.yaml');

const lines = compareStartup(
  [
    { label: `mailpolicy validate ${file}`, args: [join('bin', 'mailpolicy.js'), 'validate', file] },
    { label: 'the same from the unbundled modules (dist/src/cli)', args: ['-e', unbundledCliDriver(root, ['validate', file])] },
  ],
  runs,
  { cwd: root, target: '< 2x' },
);
process.stdout.write(`${lines.join('\n')}\n`);
