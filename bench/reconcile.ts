/**
 * Reconciling an organisation end to end — read what the document manages, plan, apply, plan
 * again — through the real PowerShell runner and the stand-in pwsh (a real child process
 * speaking the host protocol, served by the simulator), for:
 *   1. a worldwide Exchange Online tenant with 100,000 mailboxes, 1% deviating
 *      (document: stacks/contoso-worldwide.mailpolicy.yaml);
 *   2. an Exchange Server organisation with 4 servers (POP3 enabled with settings, IMAP4 off).
 * Prints PowerShell sessions, round trips and Set calls against the minimum possible, wall
 * time and peak memory (targets: round trips equal to the minimum; under 10 s and 500 MB for
 * 100,000 mailboxes). Then the second run, which must make no write at all.
 *
 * Minimum round trips: one per read the document needs (the checks that the connection is the
 * document's organisation and cloud — Get-AcceptedDomain, and Get-ConnectionInformation in
 * Exchange Online — and each Get
 * once, whatever the number of resources using it), one per organisation-level write (each must
 * succeed before the next: a restart never follows a failed settings change), and
 * ceil(mailbox changes / batch size) for the mailboxes. Minimum Set calls: one per object that
 * deviates (counted from the simulated organisation, not from the plan).
 *
 * Run: npm run build && node dist/bench/reconcile.js [mailboxes] [worldwide|onprem]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/package-root';
import { openBackend } from '../src/backends/open-backend';
import { CATALOG, isCmdletName } from '../src/exchange/catalog';
import type { PowerShellBackend } from '../src/exchange/powershell-backend';
import type { BackendStats } from '../src/exchange/types';
import { loadPolicyFileOrThrow } from '../src/model/load';
import type { MailPolicy } from '../src/model/types';
import { applyChanges, DEFAULT_BATCH_SIZE } from '../src/reconcile/executor';
import { planLive } from '../src/reconcile/live';
import { newOrganisation } from '../src/simulator/defaults';
import type { SimulatorState } from '../src/simulator/state';
import { saveState } from '../src/simulator/store';
import { mb, peakRss } from './stand-in-process';
import { STAND_IN_PWSH, standInEnv } from './stand-in-pwsh';

const ROOT = packageRoot();
const n = (value: number): string => value.toLocaleString('en');

function writeCalls(stats: BackendStats): number {
  return Object.entries(stats.calls).reduce((sum, [cmdlet, count]) => sum + (isCmdletName(cmdlet) && CATALOG[cmdlet].effect === 'write' ? count : 0), 0);
}

function diff(after: BackendStats, before: BackendStats): { roundTrips: number; writes: number } {
  return { roundTrips: after.roundTrips - before.roundTrips, writes: writeCalls(after) - writeCalls(before) };
}

function verdict(actual: number, minimum: number): string {
  if (actual === minimum) return 'OK';
  return actual > minimum ? 'ABOVE MINIMUM' : 'BELOW THE STATED MINIMUM (the minimum is wrong)';
}

interface Scenario {
  readonly title: string;
  readonly policy: MailPolicy;
  /** Built and saved, then dropped: the organisation lives in the stand-in, not in this process. */
  readonly state: () => SimulatorState;
  /** Reads the document needs, counted from its sections (the connection check included). */
  readonly minimumReads: number;
  /** Objects that deviate, counted from the simulated organisation. */
  readonly deviating: { readonly organisation: number; readonly mailboxes: number };
}

function loadExample(name: string): MailPolicy {
  return loadPolicyFileOrThrow(join(ROOT, 'stacks', `${name}.mailpolicy.yaml`)).policy;
}

function worldwide(mailboxes: number): Scenario {
  const policy = loadExample('contoso-worldwide');
  const state = (): SimulatorState => {
    const org = newOrganisation({ platform: 'exchangeOnline', cloud: 'worldwide', organization: policy.target.organization, mailboxes });
    // 99% already follow the document's default (POP3 and IMAP4 off); every 100th does not.
    org.mailboxes.forEach((row, i) => {
      if (i % 100 !== 0) {
        row[3] = false;
        row[4] = false;
      }
    });
    return org;
  };
  const deviating = Math.ceil(mailboxes / 100);
  // Organisation level, from Exchange's defaults: legacy TLS opt-in (1), the policy to create (1)
  // and make the default (1), two mailbox plans with POP3/IMAP4 on (2).
  return {
    title: `Exchange Online worldwide, ${n(mailboxes)} mailboxes, 1% deviating`,
    policy,
    state,
    // Cloud and organisation checks, transport config, authentication policies + organisation config, mailbox plans, mailboxes.
    minimumReads: 2 + 1 + 2 + 1 + 1,
    deviating: { organisation: 5, mailboxes: deviating },
  };
}

function onPremises(): Scenario {
  const servers = ['EX01', 'EX02', 'EX03', 'EX04'];
  const base = loadExample('woodgrove-onprem');
  const template = base.servers?.[0];
  if (!template?.pop3?.settings) throw new Error('woodgrove-onprem has no POP3 settings to copy');
  const pop3Settings = template.pop3.settings;
  const policy: MailPolicy = {
    ...base,
    servers: servers.map((name) => ({
      name,
      pop3: { service: { startupType: 'Automatic', state: 'Running' }, settings: { ...pop3Settings, internalConnectionSettings: [`${name.toLowerCase()}.woodgrove.com:995:SSL`, `${name.toLowerCase()}.woodgrove.com:110:TLS`] } },
      imap4: { service: { startupType: 'Disabled', state: 'Stopped' } },
    })),
  };
  const state = (): SimulatorState => {
    const org = newOrganisation({ platform: 'exchangeServer', organization: policy.target.organization, servers, mailboxes: 2_000 });
    org.mailboxes.forEach((row) => {
      row[3] = false;
      row[4] = false;
    });
    org.mailboxes.push(['branch-terminals', 'branch-terminals@woodgrove.com', 'branch-terminals@woodgrove.com', false, false, null]);
    return org;
  };
  // Per server from Exchange's defaults: POP3 settings (1), both POP3 services Automatic (2) and
  // started (1, the start applies the new settings: no restart), both IMAP4 services Disabled (2).
  return {
    title: 'Exchange Server, 4 servers (POP3 on with settings, IMAP4 off), 2,001 mailboxes',
    policy,
    state,
    // The organisation check (Get-AcceptedDomain); per server: POP3 settings, POP3 services,
    // IMAP4 services; mailboxes.
    minimumReads: 1 + servers.length * 3 + 1,
    deviating: { organisation: servers.length * 6, mailboxes: 1 },
  };
}

async function run(scenario: Scenario, dir: string, name: string): Promise<void> {
  const statePath = join(dir, `${name}.json`);
  await saveState(statePath, scenario.state());
  const { platform, cloud, organization } = scenario.policy.target;
  const backend = openBackend({
    kind: 'powershell',
    platform,
    ...(cloud === undefined ? {} : { cloud }),
    organization,
    ...(platform === 'exchangeOnline' ? { accessToken: 'bench-token-not-a-secret' } : { connectionUri: 'http://ex01.woodgrove.com/PowerShell/' }),
    pwshPath: STAND_IN_PWSH,
    env: standInEnv(statePath, { compiled: true }),
  }) as PowerShellBackend;
  try {
    const started = Date.now();
    // Only the plan is kept: the 100,000 mailboxes as read are garbage once planned.
    const { plan } = await planLive(scenario.policy, backend);
    const read = backend.stats();
    const planned = Date.now();
    const result = await applyChanges(plan.target, plan.changes, backend);
    if (result.failures.length > 0) throw new Error(`apply failed: ${result.failures[0]?.error.message}`);
    const appliedStats = backend.stats();
    const applied = Date.now();
    const beforeSecond = backend.stats();
    const second = (await planLive(scenario.policy, backend)).plan;
    const done = Date.now();
    const secondStats = diff(backend.stats(), beforeSecond);
    const childPeak = peakRss(backend.processId());
    const nodePeak = process.resourceUsage().maxRSS * 1024;

    const bulk = plan.changes.filter((c) => c.bulk).length;
    const single = plan.changes.length - bulk;
    const minimumRoundTrips = scenario.minimumReads + single + Math.ceil(bulk / DEFAULT_BATCH_SIZE);
    const minimumWrites = scenario.deviating.organisation + scenario.deviating.mailboxes;
    const roundTrips = appliedStats.roundTrips;
    const writes = writeCalls(appliedStats);

    console.log(`\n${scenario.title}`);
    console.log(`  PowerShell sessions: ${appliedStats.connects} (process spawns ${appliedStats.processSpawns}; minimum 1)`);
    console.log(
      `  round trips:         ${roundTrips} = ${read.roundTrips} reading + ${roundTrips - read.roundTrips} writing (minimum ${minimumRoundTrips} = ${scenario.minimumReads} + ${single} + ${Math.ceil(bulk / DEFAULT_BATCH_SIZE)} batches of ≤${DEFAULT_BATCH_SIZE}) ${verdict(roundTrips, minimumRoundTrips)}`,
    );
    console.log(`  Set calls:           ${n(writes)} (minimum ${n(minimumWrites)}: ${scenario.deviating.organisation} organisation-level + ${n(scenario.deviating.mailboxes)} mailboxes) ${verdict(writes, minimumWrites)}`);
    console.log(
      `  wall time:           ${((applied - started) / 1000).toFixed(2)} s = read + plan ${((planned - started) / 1000).toFixed(2)} s + apply ${((applied - planned) / 1000).toFixed(2)} s (target under 10 s); second run ${((done - applied) / 1000).toFixed(2)} s`,
    );
    console.log(
      `  peak memory:         mailpolicy (Node) ${mb(nodePeak)} (target under 500 MB); the stand-in pwsh holding the simulated organisation ${childPeak === undefined ? 'n/a' : mb(childPeak)}`,
    );
    console.log(`  second run:          ${second.changes.length} changes, ${secondStats.writes} Set calls, ${secondStats.roundTrips} round trips (reads only) ${second.changes.length === 0 && secondStats.writes === 0 ? 'OK' : 'NOT IDEMPOTENT'}`);
  } finally {
    await backend.close();
  }
}

const SCENARIOS = ['worldwide', 'onprem'] as const;

/** Each scenario in a process of its own, so its peak memory is its own. */
async function main(): Promise<void> {
  const mailboxes = Number(process.argv[2] ?? 100_000);
  const only = process.argv[3];
  if (only === undefined) {
    console.log('mailpolicy reconcile: runner + stand-in pwsh (a real child process) over the simulator');
    for (const scenario of SCENARIOS) {
      const child = spawnSync(process.execPath, [__filename, String(mailboxes), scenario], { stdio: 'inherit' });
      if (child.status !== 0) process.exit(child.status ?? 2);
    }
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mailpolicy-bench-reconcile-'));
  try {
    await run(only === 'worldwide' ? worldwide(mailboxes) : onPremises(), dir, only);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(2);
});
