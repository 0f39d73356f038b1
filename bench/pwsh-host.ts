/**
 * The real host under real PowerShell beside the Node stand-in (issue 19 item 8): the same work
 * through the PowerShell runner, once with powershell/mailpolicy-host.ps1 in pwsh (the stand-in
 * Exchange modules of the real-PowerShell tier on PSModulePath, forwarding to the simulator) and
 * once with tools/stand-in-pwsh (compiled). Each run, on a fresh copy of one organisation:
 *   start + connect   spawn, connect, Get-ConnectionInformation (the runner's first call)
 *   read              Get-EXOCasMailbox of every mailbox (10,000 by default)
 *   writes            1,000 Set-CASMailbox in batches of 500, each one changing a mailbox
 * Prints the median of each over the runs (ms and per item) and the ratio pwsh / Node.
 * pwsh comes from $MAILPOLICY_PWSH or PATH (7.4+); without one it fails (exit 2) saying where
 * to get it. The stand-in modules are generated from the tier's own sources (test/pwsh), run
 * through tools/register-ts.js: a source checkout and `npm run build` are needed.
 * Run: npm run build && node dist/bench/pwsh-host.js [mailboxes] [runs]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { openBackend } from '../src/backends/open-backend';
import { buildRequest } from '../src/exchange/request';
import type { PowerShellBackend } from '../src/exchange/powershell-backend';
import { readCasMailboxes } from '../src/exchange/reader';
import { packagePath, packageRoot } from '../src/package-root';
import { findPwsh, pwshVersion } from './find-pwsh';
import { STAND_IN_PWSH, standInEnv } from './stand-in-pwsh';
import { median } from './stats';

const ROOT = packageRoot();
const WHO = 'bench/pwsh-host';
const WRITES = 1_000;
const BATCH = 500;

interface Timings {
  readonly connectMs: number;
  readonly readMs: number;
  readonly writeMs: number;
}

/** The tier's stand-in modules, written into `dir` (a PSModulePath entry) from the TypeScript sources. */
function writeModules(dir: string): void {
  const script = `require(${JSON.stringify(join(ROOT, 'test', 'pwsh', 'stand-in-modules.ts'))}).writeStandInModules(${JSON.stringify(dir)})`;
  const run = spawnSync(process.execPath, ['--require', packagePath('tools', 'register-ts.js'), '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${WHO}: could not generate the stand-in Exchange modules (test/pwsh/stand-in-modules.ts): ${run.stderr}`);
}

async function measure(backend: PowerShellBackend, mailboxes: number): Promise<Timings> {
  try {
    let t = performance.now();
    await backend.connection();
    const connectMs = performance.now() - t;
    t = performance.now();
    const read = await readCasMailboxes(backend);
    const readMs = performance.now() - t;
    if (read.length !== mailboxes) throw new Error(`${WHO}: read ${read.length} mailboxes, expected ${mailboxes}`);
    const identities = Array.from({ length: WRITES }, (_, i) => `user${String(i + 1).padStart(6, '0')}`);
    t = performance.now();
    for (let i = 0; i < WRITES; i += BATCH) {
      const results = await backend.invokeBatch(identities.slice(i, i + BATCH).map((identity) => buildRequest('Set-CASMailbox', { identity, popEnabled: false })));
      const failed = results.find((r) => !r.ok);
      if (failed && !failed.ok) throw new Error(`${WHO}: a write failed: ${failed.error.message}`);
    }
    const writeMs = performance.now() - t;
    return { connectMs, readMs, writeMs };
  } finally {
    await backend.close();
  }
}

const online = { kind: 'powershell', platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com', accessToken: 'bench-token-not-a-secret' } as const;

async function main(): Promise<void> {
  const mailboxes = Number(process.argv[2] ?? 10_000);
  const runs = Number(process.argv[3] ?? 3);
  if (mailboxes < WRITES) throw new Error(`${WHO}: needs at least ${WRITES} mailboxes`);
  const pwsh = findPwsh(process.env, WHO);
  const version = pwshVersion(pwsh, WHO);
  const dir = mkdtempSync(join(tmpdir(), 'mailpolicy-bench-pwsh-'));
  try {
    const modules = join(dir, 'modules');
    writeModules(modules);
    const original = join(dir, 'org.json');
    const init = spawnSync(process.execPath, [join(ROOT, 'bin', 'mailpolicy.js'), 'sim', 'init', '--platform', 'exchangeOnline', '--mailboxes', String(mailboxes), '--state', original], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`${WHO}: sim init failed: ${init.stderr}`);
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GB, ${execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim()}, Node ${process.version}`);
    console.log(`pwsh: PowerShell ${version} at ${pwsh}`);
    console.log(`work per run: start + connect, read ${mailboxes.toLocaleString('en')} mailboxes, ${WRITES.toLocaleString('en')} Set-CASMailbox in batches of ${BATCH}; median of ${runs} runs each, alternating`);

    const real: Timings[] = [];
    const node: Timings[] = [];
    for (let run = 0; run < runs; run++) {
      const realState = join(dir, `real-${run}.json`);
      copyFileSync(original, realState);
      const realEnv = {
        MAILPOLICY_STANDIN_STATE: realState,
        MAILPOLICY_STANDIN_NODE: process.execPath,
        PSModulePath: [modules, process.env.PSModulePath].filter((p): p is string => typeof p === 'string' && p !== '').join(delimiter),
      };
      real.push(await measure(openBackend({ ...online, pwshPath: pwsh, env: realEnv }) as PowerShellBackend, mailboxes));
      const nodeState = join(dir, `node-${run}.json`);
      copyFileSync(original, nodeState);
      node.push(await measure(openBackend({ ...online, pwshPath: STAND_IN_PWSH, env: standInEnv(nodeState, { compiled: true }) }) as PowerShellBackend, mailboxes));
    }

    const row = (label: string, items: number, pick: (t: Timings) => number): void => {
      const p = median(real.map(pick));
      const n = median(node.map(pick));
      const per = (ms: number): string => (items > 1 ? ` (${((ms / items) * 1000).toFixed(0)} µs/item)` : '');
      console.log(`  ${label.padEnd(16)} pwsh ${p.toFixed(0).padStart(6)} ms${per(p).padEnd(17)} Node stand-in ${n.toFixed(0).padStart(6)} ms${per(n).padEnd(17)} pwsh/Node ${(p / n).toFixed(1)}×`);
    };
    row('start + connect', 1, (t) => t.connectMs);
    row(`read ${mailboxes.toLocaleString('en')}`, mailboxes, (t) => t.readMs);
    row(`${WRITES.toLocaleString('en')} writes`, WRITES, (t) => t.writeMs);
    row('total', 1, (t) => t.connectMs + t.readMs + t.writeMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
});
