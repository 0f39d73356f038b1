/**
 * `mailpolicy sim …`: the built-in Exchange simulator's state files.
 *   sim init    a new organisation with Exchange's defaults (platform, cloud, mailboxes, servers)
 *   sim show    what the simulated organisation looks like now, pending restarts included
 *   sim invoke  run one catalog cmdlet against it (inject drift, try a change)
 *   sim faults  add or clear injected faults and latency
 *   sim certificate add  put a certificate on a server (sim-certificate.ts)
 *   sim audit   record and print every write (sim-audit.ts)
 * Exit 0 done, 2 could not (usage, unreadable state, an Exchange error from `invoke`).
 */
import { CATALOG, CMDLET_NAMES, isCmdletName, type CmdletSpec } from '../../exchange/catalog';
import { ExchangeError, type JsonValue } from '../../exchange/types';
import { parseExchangeVersion, versionText } from '../../model/exchange-version';
import { CLOUDS, PLATFORMS, PROTOCOLS } from '../../model/types';
import { escapeControls, joinLines, jsonText } from '../../text/escape';
import { SimulatorBackend } from '../../simulator/backend';
import { newOrganisation } from '../../simulator/defaults';
import { acceptedDomains, ALL_FAULT_KINDS, pendingSettings, ROW_IMAP, ROW_POP, ROW_SMTP_AUTH_DISABLED, type FaultSpec, type SimulatorState } from '../../simulator/state';
import { saveState, StateStore } from '../../simulator/store';
import { defineCommand, defineGroup, longFlag, type OptionSpecs, type OptionValues } from '../args/spec';
import { wholeNumber } from '../args/whole-number';
import { auditCommand } from './sim-audit';
import type { CliIO } from '../command';
import { simCertificateGroup } from './sim-certificate';
import { EXIT_ERROR, EXIT_OK, UsageError, type ExitCode } from '../exit-codes';

function serverList(text: string): string[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0 || names.some((n) => !/^[A-Za-z0-9-]{1,15}$/.test(n))) throw new UsageError(`--servers takes NetBIOS server names separated by commas, not ${text}`);
  return names;
}

/** `15.2.1748.24`, kept as written after the check (tests and demos of servers out of support). */
function buildNumber(text: string): string {
  const version = parseExchangeVersion(text);
  if (!version) throw new UsageError(`--server-version takes an Exchange build number such as 15.2.2562.17 (Exchange Server SE RTM) or 15.2.1748.24 (Exchange 2019 CU15), not ${text}`);
  return versionText(version);
}

const STATE = { value: 'path', description: 'state file', required: true } as const;

const INIT_OPTIONS = {
  state: { ...STATE, description: 'state file to create' },
  platform: { value: 'platform', description: 'Exchange Online or Exchange Server', choices: PLATFORMS, required: true },
  cloud: { value: 'cloud', description: 'Exchange Online cloud (default worldwide)', choices: CLOUDS },
  organization: { value: 'name', description: 'tenant (contoso.onmicrosoft.com) or on-premises organisation name' },
  mailboxes: { value: 'n', description: 'number of mailboxes', parse: wholeNumber('--mailboxes'), default: 0 },
  servers: { value: 'names', description: 'Exchange Server: server names, comma-separated (default EX01)', parse: serverList },
  serverVersion: { value: 'build', description: 'Exchange Server: the build every server reports as AdminDisplayVersion (default Exchange Server SE RTM, 15.2.2562.17)', parse: buildNumber },
  acceptedDomain: { value: 'domain', description: 'another accepted domain (repeat, or comma-separate); the organisation name always is one', repeatable: true, separator: ',' },
  force: { description: 'replace an existing state file (a regular file only; its mode is kept)' },
} as const satisfies OptionSpecs;

export async function runSimInit(options: OptionValues<typeof INIT_OPTIONS>, io: CliIO): Promise<ExitCode> {
  if (options.platform === 'exchangeServer' && options.cloud !== undefined) throw new UsageError('--cloud applies to --platform exchangeOnline only');
  if (options.platform === 'exchangeOnline' && options.servers !== undefined) throw new UsageError('--servers applies to --platform exchangeServer only');
  if (options.platform === 'exchangeOnline' && options.serverVersion !== undefined) throw new UsageError('--server-version applies to --platform exchangeServer only');
  const state = newOrganisation({
    platform: options.platform,
    ...(options.cloud === undefined ? {} : { cloud: options.cloud }),
    ...(options.organization === undefined ? {} : { organization: options.organization }),
    ...(options.servers === undefined ? {} : { servers: options.servers }),
    ...(options.serverVersion === undefined ? {} : { serverVersion: options.serverVersion }),
    ...(options.acceptedDomain === undefined ? {} : { acceptedDomains: options.acceptedDomain }),
    mailboxes: options.mailboxes,
  });
  // Refuses an existing file without --force, and anything but a regular file.
  await saveState(options.state, state, {}, { overwrite: options.force === true });
  io.stdout(`${options.state}: ${describeOrganisation(state)}, ${state.mailboxes.length} mailbox(es)${state.servers ? `, servers ${state.servers.map((s) => s.name).join(', ')}` : ''}\n`);
  return EXIT_OK;
}

function describeOrganisation(state: SimulatorState): string {
  const o = state.organization;
  return o.platform === 'exchangeOnline' ? `Exchange Online (${o.cloud ?? 'worldwide'}) ${o.name}` : `Exchange Server ${o.name}`;
}

function onOff(value: boolean | null | undefined): string {
  return value === null || value === undefined ? '$null' : value ? '$true' : '$false';
}

type MailboxCounts = {
  readonly total: number;
  readonly popDisabled: number;
  readonly imapDisabled: number;
  readonly smtpAuthEnabledOverride: number;
  readonly smtpAuthDisabledOverride: number;
};

function mailboxCounts(state: SimulatorState): MailboxCounts {
  let popOff = 0;
  let imapOff = 0;
  let smtpOn = 0;
  let smtpOff = 0;
  for (const row of state.mailboxes) {
    if (!row[ROW_POP]) popOff++;
    if (!row[ROW_IMAP]) imapOff++;
    if (row[ROW_SMTP_AUTH_DISABLED] === false) smtpOn++;
    if (row[ROW_SMTP_AUTH_DISABLED] === true) smtpOff++;
  }
  return { total: state.mailboxes.length, popDisabled: popOff, imapDisabled: imapOff, smtpAuthEnabledOverride: smtpOn, smtpAuthDisabledOverride: smtpOff };
}

/** A summary a person can read; `--format json` gives the same facts as data. */
export function summarise(state: SimulatorState): Record<string, JsonValue> {
  return {
    organization: { ...state.organization },
    ...(state.transportConfig ? { transportConfig: { ...state.transportConfig } } : {}),
    ...(state.authenticationPolicies ? { authenticationPolicies: state.authenticationPolicies.map((p) => ({ ...p })) } : {}),
    ...(state.organizationConfig ? { defaultAuthenticationPolicy: state.organizationConfig.defaultAuthenticationPolicy } : {}),
    ...(state.casMailboxPlans ? { casMailboxPlans: state.casMailboxPlans.map((p) => ({ ...p })) } : {}),
    mailboxes: mailboxCounts(state),
    ...(state.servers
      ? {
          servers: state.servers.map((s) => ({
            name: s.name,
            fqdn: s.fqdn,
            ...Object.fromEntries(
              PROTOCOLS.map((p) => [
                p,
                {
                  frontEnd: { startupType: s[p].frontEnd.startupType, status: s[p].frontEnd.status },
                  backEnd: { startupType: s[p].backEnd.startupType, status: s[p].backEnd.status },
                  pendingRestart: pendingSettings(s[p]),
                  settings: s[p].settings,
                },
              ]),
            ),
            certificates: (s.certificates ?? []).map((c) => ({ ...c, certificateDomains: [...c.certificateDomains], services: [...c.services] })),
          })),
        }
      : {}),
    faults: (state.faults ?? []).map((f) => ({ ...f })),
    ...(state.latency ? { latency: { ...state.latency } } : {}),
    ...(state.throttle ? { throttle: { ...state.throttle } } : {}),
    writes: { ...(state.writes ?? {}) },
  };
}


/** A policy's switches as the organisation's platform has them: Basic authentication per protocol (Exchange Online), the Block* switches (Exchange Server). */
function policySwitches(state: SimulatorState, p: NonNullable<SimulatorState['authenticationPolicies']>[number]): string {
  if (state.organization.platform === 'exchangeOnline') return `pop ${onOff(p.allowBasicAuthPop)}, imap ${onOff(p.allowBasicAuthImap)}, smtp ${onOff(p.allowBasicAuthSmtp)}`;
  const blocks = { BlockLegacyAuthPop: p.blockLegacyAuthPop, BlockLegacyAuthImap: p.blockLegacyAuthImap, BlockModernAuthPop: p.blockModernAuthPop, BlockModernAuthImap: p.blockModernAuthImap };
  return Object.entries(blocks)
    .map(([name, value]) => `${name} ${onOff(value ?? false)}`)
    .join(', ');
}
function renderText(state: SimulatorState): string {
  const lines = [describeOrganisation(state), `accepted domains: ${acceptedDomains(state.organization).join(', ')}`];
  if (state.transportConfig) {
    lines.push(`transport config: AllowLegacyTLSClients ${onOff(state.transportConfig.allowLegacyTLSClients)}, SmtpClientAuthenticationDisabled ${onOff(state.transportConfig.smtpClientAuthenticationDisabled)}`);
  }
  if (state.authenticationPolicies) {
    const def = state.organizationConfig?.defaultAuthenticationPolicy ?? null;
    lines.push(`authentication policies: ${state.authenticationPolicies.length === 0 ? 'none' : state.authenticationPolicies.map((p) => `${p.name}${p.name === def ? ' (default)' : ''} [${policySwitches(state, p)}]`).join('; ')}`);
  }
  const assigned = Object.keys(state.userAuthenticationPolicies ?? {}).length;
  if (assigned > 0) lines.push(`users with an authentication policy assigned: ${assigned}`);
  for (const p of state.casMailboxPlans ?? []) lines.push(`CAS mailbox plan ${p.identity}: PopEnabled ${onOff(p.popEnabled)}, ImapEnabled ${onOff(p.imapEnabled)}`);
  const m = mailboxCounts(state);
  const smtp = state.organization.platform === 'exchangeOnline' ? `, SMTP AUTH override on ${m.smtpAuthEnabledOverride} / off ${m.smtpAuthDisabledOverride}` : '';
  lines.push(`mailboxes: ${m.total} (POP disabled ${m.popDisabled}, IMAP disabled ${m.imapDisabled}${smtp})`);
  for (const s of state.servers ?? []) {
    for (const p of PROTOCOLS) {
      const proto = s[p];
      const pending = pendingSettings(proto);
      lines.push(
        `${s.name} ${p === 'pop3' ? 'POP3' : 'IMAP4'}: front end ${proto.frontEnd.startupType}/${proto.frontEnd.status}, back end ${proto.backEnd.startupType}/${proto.backEnd.status}, LoginType ${String(proto.settings.LoginType)}${pending.length > 0 ? `, pending restart: ${pending.join(', ')}` : ''}`,
      );
    }
  }
  for (const s of state.servers ?? []) {
    for (const c of s.certificates ?? []) lines.push(`${s.name} certificate ${c.thumbprint} ${c.subject} [${c.certificateDomains.join(', ')}] until ${c.notAfter.slice(0, 10)}: ${c.services.join(', ') || 'None'}`);
  }
  if ((state.faults ?? []).length > 0) lines.push(`faults: ${(state.faults ?? []).map((f) => JSON.stringify(f)).join(' ')}`);
  if (state.latency) lines.push(`latency: ${JSON.stringify(state.latency)}`);
  if (state.throttle) lines.push(`throttle: ${JSON.stringify(state.throttle)}`);
  const writes = Object.entries(state.writes ?? {});
  lines.push(`writes applied: ${writes.length === 0 ? 'none' : writes.map(([c, n]) => `${c} ×${n}`).join(', ')}`);
  return joinLines(lines);
}

const SHOW_OPTIONS = {
  state: STATE,
  format: { short: 'f', value: 'format', description: 'output format', choices: ['text', 'json'], default: 'text' },
} as const satisfies OptionSpecs;

export async function runSimShow(options: OptionValues<typeof SHOW_OPTIONS>, io: CliIO): Promise<ExitCode> {
  const state = await new StateStore(options.state).read();
  io.stdout(options.format === 'json' ? jsonText(summarise(state)) : renderText(state));
  return EXIT_OK;
}

/** `Name=value`: the value is JSON when it parses (true, null, 5, ["a"]), else the text itself. */
export function parseAssignment(text: string): [string, JsonValue] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`parameters are Name=value, not ${text}`);
  const raw = text.slice(at + 1);
  let value: JsonValue;
  try {
    value = JSON.parse(raw) as JsonValue;
  } catch {
    value = raw;
  }
  return [text.slice(0, at), value];
}

export async function runSimInvoke(cmdlet: string, assignments: readonly string[], options: OptionValues<typeof INVOKE_OPTIONS>, io: CliIO): Promise<ExitCode> {
  if (!isCmdletName(cmdlet)) throw new UsageError(`${cmdlet} is not in the cmdlet catalog (one of: ${CMDLET_NAMES.join(', ')})`);
  // The service cmdlets run on a server through Invoke-Command -ComputerName; nothing else does.
  const remote = (CATALOG[cmdlet] as CmdletSpec).remoteService === true;
  if (remote && options.computerName === undefined) throw new UsageError(`${cmdlet} runs on an Exchange server: name it with --computer-name`);
  if (!remote && options.computerName !== undefined) throw new UsageError(`--computer-name is only for the Windows service cmdlets (Get-, Set-, Start-, Stop-, Restart-Service)`);
  const parameters = Object.fromEntries(assignments.map(parseAssignment));
  const backend = new SimulatorBackend({ statePath: options.state, onWarning: (_c, w) => io.stderr(`WARNING: ${escapeControls(w)}\n`) });
  try {
    // Exactly what was asked: the simulator answers a non-catalog parameter like Exchange would.
    // Exchange returns every property of what it reads: the optional ones (built by the simulator only when named) are all named.
    const optional = (CATALOG[cmdlet] as CmdletSpec).optionalReturns;
    const properties = optional ? { properties: Object.keys(optional) } : {};
    const data = await backend.invoke({ cmdlet, parameters, ...(options.computerName === undefined ? {} : { computerName: options.computerName }), ...properties });
    if (data !== null) io.stdout(jsonText(data));
    return EXIT_OK;
  } catch (err) {
    if (!(err instanceof ExchangeError)) throw err;
    io.stderr(`mailpolicy sim invoke: ${escapeControls(err.message)}\n`);
    return EXIT_ERROR;
  } finally {
    await backend.close();
  }
}

const INVOKE_OPTIONS = {
  state: STATE,
  computerName: { value: 'server', description: 'the Exchange server a service cmdlet runs on (as Invoke-Command -ComputerName)' },
} as const satisfies OptionSpecs;

const FAULTS_OPTIONS = {
  state: STATE,
  add: { value: 'kind', description: 'add a fault', choices: ALL_FAULT_KINDS },
  cmdlet: { value: 'name', description: 'with --add: only calls of this cmdlet' },
  call: { value: 'n', description: 'with --add: first failing call, 1-based (default 1)', parse: wholeNumber('--call') },
  times: { value: 'n', description: 'with --add: consecutive failing calls (default 1)', parse: wholeNumber('--times') },
  message: { value: 'text', description: 'with --add: error message instead of the default' },
  latencyMs: { value: 'n', description: 'milliseconds each cmdlet takes (each call and each batch item), as Exchange runs each on its own', parse: wholeNumber('--latency-ms') },
  roundTripMs: { value: 'n', description: 'milliseconds added once per round trip (a call or a whole batch): the network', parse: wholeNumber('--round-trip-ms') },
  throttleConcurrency: {
    value: 'n',
    description: 'the throttling budget: at most n cmdlets at once, across every process serving the state; one more fails with HTTP 429 and a retry-after (0: no budget)',
    parse: wholeNumber('--throttle-concurrency', '0 = no budget'),
  },
  retryAfterSeconds: { value: 'n', description: 'with a budget: the retry-after a throttled cmdlet is given (default 1)', parse: wholeNumber('--retry-after-seconds') },
  microDelayMs: { value: 'n', description: 'with a budget: the cmdlet that fills it is delayed n ms and warns "Micro delay applied" (default 0: neither)', parse: wholeNumber('--micro-delay-ms') },
  clear: { description: 'remove all faults, latency and the throttling budget first' },
} as const satisfies OptionSpecs;

/** The options that describe the fault `--add` adds: meaningless, and refused, without it. */
const FAULT_DETAILS = ['cmdlet', 'call', 'times', 'message'] as const;

export async function runSimFaults(options: OptionValues<typeof FAULTS_OPTIONS>, io: CliIO): Promise<ExitCode> {
  const stray = FAULT_DETAILS.filter((key) => options[key] !== undefined);
  if (options.add === undefined && stray.length > 0) throw new UsageError(`${stray.map(longFlag).join(', ')} describe${stray.length === 1 ? 's' : ''} the fault to add: use with --add <kind>`);
  if (options.cmdlet !== undefined && !isCmdletName(options.cmdlet)) throw new UsageError(`${options.cmdlet} is not in the cmdlet catalog`);
  if ((options.retryAfterSeconds !== undefined || options.microDelayMs !== undefined) && !(options.throttleConcurrency !== undefined && options.throttleConcurrency > 0)) {
    throw new UsageError('--retry-after-seconds and --micro-delay-ms describe the throttling budget: use with --throttle-concurrency <n>');
  }
  const store = new StateStore(options.state);
  const state = await store.update((s) => {
    let changed = false;
    if (options.clear === true) {
      delete s.faults;
      delete s.latency;
      delete s.throttle;
      changed = true;
    }
    if (options.add !== undefined) {
      const fault: FaultSpec = {
        kind: options.add,
        ...(options.cmdlet === undefined ? {} : { cmdlet: options.cmdlet }),
        ...(options.call === undefined ? {} : { call: options.call }),
        ...(options.times === undefined ? {} : { times: options.times }),
        ...(options.message === undefined ? {} : { message: options.message }),
      };
      s.faults = [...(s.faults ?? []), fault];
      changed = true;
    }
    if (options.latencyMs !== undefined) {
      s.latency = { ...s.latency, perCmdletMs: options.latencyMs };
      changed = true;
    }
    if (options.roundTripMs !== undefined) {
      s.latency = { ...s.latency, perCallMs: options.roundTripMs };
      changed = true;
    }
    if (options.throttleConcurrency === 0) {
      delete s.throttle;
      changed = true;
    } else if (options.throttleConcurrency !== undefined) {
      s.throttle = { ...s.throttle, concurrency: options.throttleConcurrency };
      changed = true;
    }
    if (s.throttle && (options.retryAfterSeconds !== undefined || options.microDelayMs !== undefined)) {
      s.throttle = {
        ...s.throttle,
        ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
        ...(options.microDelayMs === undefined ? {} : { microDelayMs: options.microDelayMs }),
      };
      changed = true;
    }
    return { result: s, changed };
  });
  const faults = state.faults ?? [];
  const lines = [faults.length === 0 ? 'no faults' : faults.map((f) => JSON.stringify(f)).join('\n')];
  if (state.latency) lines.push(`latency: ${JSON.stringify(state.latency)}`);
  if (state.throttle) lines.push(`throttle: ${JSON.stringify(state.throttle)}`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

/** State-file problems (missing, malformed, locked) are reported as one line with exit 2. */
async function guarded(io: CliIO, name: string, run: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    io.stderr(`mailpolicy sim ${name}: ${escapeControls(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT_ERROR;
  }
}

const initCommand = defineCommand({
  name: 'init',
  description: 'create a simulated organisation with Exchange defaults for its platform and cloud',
  options: INIT_OPTIONS,
  run: (_args, options, { io }) => guarded(io, 'init', () => runSimInit(options, io)),
});

const showCommand = defineCommand({
  name: 'show',
  description: 'print the simulated organisation: settings, mailbox counts, services, pending restarts, faults, writes',
  options: SHOW_OPTIONS,
  run: (_args, options, { io }) => guarded(io, 'show', () => runSimShow(options, io)),
});

const invokeCommand = defineCommand({
  name: 'invoke',
  description: 'run one catalog cmdlet against the simulated organisation, e.g. `Set-CASMailbox Identity=user000001 PopEnabled=false`',
  arguments: [
    { name: 'cmdlet', description: 'a cmdlet of the catalog' },
    { name: 'parameters', description: 'Name=value; values parse as JSON (true, null, 5, ["a","b"]) or stay text', optional: true, variadic: true },
  ],
  options: INVOKE_OPTIONS,
  run: ({ cmdlet, parameters }, options, { io }) => guarded(io, 'invoke', () => runSimInvoke(cmdlet, parameters, options, io)),
});

const faultsCommand = defineCommand({
  name: 'faults',
  description: 'add or clear injected faults and latency (tests, demos, benchmarks); prints the faults in force',
  options: FAULTS_OPTIONS,
  run: (_args, options, { io }) => guarded(io, 'faults', () => runSimFaults(options, io)),
});

export const simCommand = defineGroup({
  name: 'sim',
  description: 'create and inspect simulated Exchange organisations (the built-in backend): exit 0 done, 2 error',
  subcommands: [initCommand, showCommand, invokeCommand, faultsCommand, simCertificateGroup(guarded), auditCommand(guarded)],
});
