/**
 * Export and drift at scale. Prints, for a worldwide organisation with 100,000 mailboxes (1%
 * deviating): `mailpolicy export` wall time and peak memory of the CLI process (targets under
 * 10 s and 500 MB), the drift check of the exported document (in sync) and after 1% of the
 * mailboxes drifted, and the round trips each drift check and export makes against the minimum
 * (one call per distinct Exchange read the document needs), also for an Exchange Server
 * organisation with 4 servers.
 * Run: npm run build && node dist/bench/export-drift.js [mailboxes]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDrift } from '../src/drift/check';
import { exportOrganisation } from '../src/export/export';
import { loadPolicyFileOrThrow } from '../src/model/load';
import type { MailPolicy } from '../src/model/types';
import { PROTOCOLS } from '../src/model/types';
import { packageRoot } from '../src/package-root';
import { SimulatorBackend } from '../src/simulator/backend';
import { newOrganisation } from '../src/simulator/defaults';
import { serialiseState, ROW_IMAP, ROW_POP, type SimulatorState } from '../src/simulator/state';
import { runNodeWithUsage } from './child-run';
import { STAND_IN_PWSH, standInEnv } from './stand-in-pwsh';

const ROOT = packageRoot();
const BIN = path.join(ROOT, 'bin/mailpolicy.js');
const MAILBOXES = Number(process.argv[2] ?? 100_000);
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-bench-export-'));

interface CliRun {
  readonly seconds: number;
  readonly peakMB: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real CLI as a child process: wall time and its own peak RSS. */
function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): CliRun {
  const run = runNodeWithUsage([BIN, ...args], { env });
  return { seconds: run.wallMs / 1000, peakMB: run.peakRssBytes / 1024 / 1024, status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function writeState(name: string, state: SimulatorState): string {
  const file = path.join(WORK, `${name}.state.json`);
  fs.writeFileSync(file, serialiseState(state));
  return file;
}

/** One call per distinct Exchange read the document needs: what no implementation can go below. */
function minimumReads(policy: MailPolicy): number {
  let reads = 1; // Get-AcceptedDomain: the document's organisation is the connected one
  if (policy.transportConfig) reads += 1; // Get-TransportConfig
  if (policy.authenticationPolicies?.length) reads += 2; // Get-AuthenticationPolicy, Get-OrganizationConfig
  if (policy.casMailboxPlans?.length) reads += 1; // Get-CASMailboxPlan
  if (policy.casMailboxes) reads += 1; // Get-EXOCasMailbox / Get-CASMailbox -ResultSize Unlimited
  for (const server of policy.servers ?? []) {
    for (const protocol of PROTOCOLS) {
      const declared = server[protocol];
      if (!declared) continue;
      if (declared.settings) reads += 1; // Get-PopSettings / Get-ImapSettings -Server
      reads += 1; // Get-Service: front end and back end in one call
    }
    if (server.smtpClientSubmission) reads += 1; // Get-ReceiveConnector -Server
  }
  return reads;
}

async function driftRoundTrips(file: string, statePath: string): Promise<{ roundTrips: number; minimum: number; seconds: number; drifted: number }> {
  const loaded = loadPolicyFileOrThrow(file);
  const backend = new SimulatorBackend({ statePath });
  const started = process.hrtime.bigint();
  try {
    const report = await checkDrift(loaded, backend);
    return { roundTrips: backend.stats().roundTrips, minimum: minimumReads(loaded.policy), seconds: Number(process.hrtime.bigint() - started) / 1e9, drifted: report.items.length };
  } finally {
    await backend.close();
  }
}

/**
 * An export reads every section whether or not it holds anything: Exchange Online transport
 * config, policies, organisation config, plans, mailboxes; Exchange Server mailboxes plus
 * settings and services per server and protocol, and each server's receive connectors.
 */
function exportMinimum(servers: readonly string[]): number {
  // Per server: settings and services per protocol, and the Client Frontend receive connector.
  return servers.length === 0 ? 5 : 1 + servers.length * (PROTOCOLS.length * 2 + 1);
}

async function exportRoundTrips(statePath: string, servers: readonly string[]): Promise<{ roundTrips: number; minimum: number }> {
  const backend = new SimulatorBackend({ statePath });
  try {
    await exportOrganisation(backend, { servers });
    return { roundTrips: backend.stats().roundTrips, minimum: exportMinimum(servers) };
  } finally {
    await backend.close();
  }
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER TARGET');

async function mainBench(): Promise<void> {
  const lines: string[] = [`export and drift benchmark: ${MAILBOXES} mailboxes, 1% deviating (node ${process.version}, ${os.cpus().length} CPUs)`];

  const online = newOrganisation({ platform: 'exchangeOnline', mailboxes: MAILBOXES });
  online.mailboxes.forEach((row, i) => {
    if (i % 100 === 0) row[ROW_POP] = false;
  });
  const onlineState = writeState('worldwide', online);
  const exported = path.join(WORK, 'exported.mailpolicy.yaml');

  const exportRun = runCli(['export', '--backend', 'simulator', '--state', onlineState, '--output', exported]);
  if (exportRun.status !== 0) throw new Error(`export failed: ${exportRun.stderr}`);
  const policy = loadPolicyFileOrThrow(exported).policy;
  const exceptions = policy.casMailboxes?.exceptions ?? [];
  lines.push(
    `export:        ${fmt(exportRun.seconds)} s (target < 10: ${verdict(exportRun.seconds < 10)}), peak RSS ${fmt(exportRun.peakMB, 0)} MB (target < 500: ${verdict(exportRun.peakMB < 500)})`,
    `               document ${fmt(fs.statSync(exported).size / 1024, 0)} KB: default + ${exceptions.length} exception(s) naming ${exceptions.reduce((n, e) => n + e.identities.length, 0)} mailbox(es)`,
  );

  // The same export through the PowerShell backend: the real runner and host protocol, with the
  // stand-in pwsh (compiled) serving the simulator in place of Exchange.
  const viaRunner = runCli(['export', '--backend', 'powershell', '--pwsh', STAND_IN_PWSH, '--organization', 'contoso.onmicrosoft.com', '--output', path.join(WORK, 'runner.yaml')], {
    ...standInEnv(onlineState, { compiled: true }),
    MAILPOLICY_ACCESS_TOKEN: 'bench-token',
  });
  if (viaRunner.status !== 0) throw new Error(`export through the runner failed: ${viaRunner.stderr}`);
  lines.push(`export via runner + stand-in pwsh: ${fmt(viaRunner.seconds)} s (target < 10: ${verdict(viaRunner.seconds < 10)}), peak RSS of the CLI ${fmt(viaRunner.peakMB, 0)} MB (target < 500: ${verdict(viaRunner.peakMB < 500)}), same document: ${fs.readFileSync(path.join(WORK, 'runner.yaml'), 'utf8') === fs.readFileSync(exported, 'utf8')}`);

  const inSync = runCli(['drift', exported, '--state', onlineState, '--format', 'json']);
  lines.push(`drift in sync: ${fmt(inSync.seconds)} s, peak RSS ${fmt(inSync.peakMB, 0)} MB, exit ${inSync.status} (expected 0)`);

  // 1% of the mailboxes drift: IMAP switched off behind the document's back.
  online.mailboxes.forEach((row, i) => {
    if (i % 100 === 50) row[ROW_IMAP] = false;
  });
  fs.writeFileSync(onlineState, serialiseState(online));
  const drifted = runCli(['drift', exported, '--state', onlineState, '--format', 'json']);
  const driftCount = (JSON.parse(drifted.stdout) as { drift: unknown[] }).drift.length;
  lines.push(`drift 1%:      ${fmt(drifted.seconds)} s, peak RSS ${fmt(drifted.peakMB, 0)} MB, exit ${drifted.status} (expected 1), ${driftCount} drifted setting(s)`);

  const onlineTrips = await driftRoundTrips(exported, onlineState);
  lines.push(`round trips, drift check (worldwide): ${onlineTrips.roundTrips} (minimum ${onlineTrips.minimum}, ratio ${fmt(onlineTrips.roundTrips / onlineTrips.minimum)}), in-process ${fmt(onlineTrips.seconds)} s`);
  const onlineExportTrips = await exportRoundTrips(onlineState, []);
  lines.push(`round trips, export (worldwide):      ${onlineExportTrips.roundTrips} (minimum ${onlineExportTrips.minimum}, ratio ${fmt(onlineExportTrips.roundTrips / onlineExportTrips.minimum)})`);

  const servers = ['EX01', 'EX02', 'EX03', 'EX04'];
  const onprem = writeState('onprem', newOrganisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers, mailboxes: 1000 }));
  const onpremDoc = path.join(WORK, 'onprem.mailpolicy.yaml');
  const onpremExport = runCli(['export', '--state', onprem, '--output', onpremDoc, '--server', servers.join(',')]);
  if (onpremExport.status !== 0) throw new Error(`on-prem export failed: ${onpremExport.stderr}`);
  const onpremTrips = await driftRoundTrips(onpremDoc, onprem);
  lines.push(`round trips, drift check (4 servers): ${onpremTrips.roundTrips} (minimum ${onpremTrips.minimum}, ratio ${fmt(onpremTrips.roundTrips / onpremTrips.minimum)})`);
  const onpremExportTrips = await exportRoundTrips(onprem, servers);
  lines.push(`round trips, export (4 servers):      ${onpremExportTrips.roundTrips} (minimum ${onpremExportTrips.minimum}, ratio ${fmt(onpremExportTrips.roundTrips / onpremExportTrips.minimum)})`);

  process.stdout.write(`${lines.join('\n')}\n`);
}

mainBench()
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  // A failed run leaves no 100,000-mailbox state files behind either.
  .finally(() => fs.rmSync(WORK, { recursive: true, force: true }));
