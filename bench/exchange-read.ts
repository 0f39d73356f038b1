/**
 * Reading a 100,000-mailbox organisation through the real PowerShell runner and the stand-in
 * pwsh (a real child process speaking the host protocol, served by the simulator). Prints
 * process spawns (target 1), connects (target 1), round trips, wall time (target under 10 s)
 * and peak memory of the Node process plus the child (target under 500 MB), and the same read
 * in-process through the simulator for comparison.
 * Run: npm run build && node dist/bench/exchange-read.js [mailboxes]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../src/backends/open-backend';
import type { PowerShellBackend } from '../src/exchange/powershell-backend';
import { readCasMailboxes } from '../src/exchange/reader';
import { readTransportConfig } from '../src/reconcile/kinds/transport-config-read';
import { packageRoot } from '../src/package-root';
import { mb, peakRss } from './stand-in-process';
import { STAND_IN_PWSH, standInEnv } from './stand-in-pwsh';

const ROOT = packageRoot();

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'mailpolicy-bench-'));
  const state = join(dir, 'org.json');
  try {
    // Created by `mailpolicy sim init` in its own process, so this process's peak memory is the read's.
    let t = Date.now();
    const init = spawnSync(process.execPath, [join(ROOT, 'bin', 'mailpolicy.js'), 'sim', 'init', '--platform', 'exchangeOnline', '--mailboxes', String(count), '--state', state], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`sim init failed: ${init.stderr}`);
    console.log(`simulated organisation: ${count.toLocaleString('en')} mailboxes, \`mailpolicy sim init\` took ${Date.now() - t} ms (state file ${mb(statSync(state).size)})`);

    const backend = openBackend({
      kind: 'powershell',
      platform: 'exchangeOnline',
      cloud: 'worldwide',
      organization: 'contoso.onmicrosoft.com',
      accessToken: 'bench-token-not-a-secret',
      pwshPath: STAND_IN_PWSH,
      env: standInEnv(state, { compiled: true }),
    }) as PowerShellBackend;
    t = Date.now();
    const mailboxes = await readCasMailboxes(backend);
    const readMs = Date.now() - t;
    await readTransportConfig(backend);
    const wallMs = Date.now() - t;
    const childPeak = peakRss(backend.processId());
    const stats = backend.stats();
    await backend.close();
    const nodePeak = process.resourceUsage().maxRSS * 1024;

    console.log(`runner + stand-in pwsh: read ${mailboxes.length.toLocaleString('en')} mailboxes (and the transport config)`);
    console.log(`  process spawns: ${stats.processSpawns} (target 1)`);
    console.log(`  connects:       ${stats.connects} (target 1)`);
    console.log(`  round trips:    ${stats.roundTrips} (Get-ConnectionInformation, Get-EXOCasMailbox, Get-TransportConfig)`);
    console.log(`  wall time:      ${(wallMs / 1000).toFixed(2)} s incl. spawn and connect; mailbox read ${(readMs / 1000).toFixed(2)} s (target under 10 s)`);
    console.log(
      `  peak memory:    ${childPeak === undefined ? 'n/a' : mb(nodePeak + childPeak)} = Node ${mb(nodePeak)} + pwsh stand-in ${childPeak === undefined ? 'n/a' : mb(childPeak)} (target under 500 MB)`,
    );

    const sim = openBackend({ kind: 'simulator', statePath: state });
    t = Date.now();
    const direct = await readCasMailboxes(sim);
    console.log(`in-process simulator: read ${direct.length.toLocaleString('en')} mailboxes in ${((Date.now() - t) / 1000).toFixed(2)} s, ${sim.stats().roundTrips} round trips`);
    await sim.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
});
