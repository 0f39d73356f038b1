/**
 * `npm run bench`: every benchmark in turn, each in its own Node process so one's heap and
 * caches do not colour the next. Each prints its own numbers and targets.
 * `node dist/bench/run-all.js [name...]` runs only the named ones.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const BENCHMARKS = [
  'validate', // issue 2: validate one file vs node -e ""
  'check', // issue 5: check one file vs node -e ""; 1,000 files
  'exchange-read', // issue 3: 100,000 mailboxes through runner + stand-in pwsh
  'reconcile', // issue 4: sessions, round trips and Set calls vs the minimum
  'export-drift', // issue 6: export and drift at 100,000 mailboxes
  'report-memory', // issue 15: peak RSS of plan and drift outputs at 100,000 drifted mailboxes
  'apply-concurrency', // issue 15: 60,000 writes at L per cmdlet under a budget B vs W×L/B, over several hosts
  'preview', // issue 7: pulumi preview of the demo stack vs an empty program (needs the engine)
  'pwsh-host', // issue 19: the real host under pwsh beside the Node stand-in (needs pwsh 7.4+)
] as const;

const wanted = process.argv.slice(2);
let failed = 0;
for (const name of BENCHMARKS) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stdout.write(`\n== bench/${name}\n`);
  const result = spawnSync(process.execPath, [path.join(__dirname, `${name}.js`)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`== bench/${name} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
