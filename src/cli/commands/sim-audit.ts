/**
 * `mailpolicy sim audit --state S [--start | --stop] [--format text|json]`: the simulator's write
 * log (src/simulator/audit.ts). `--start` switches recording on with an empty log, `--stop`
 * switches it off and drops the log; then, or without either, it prints the log: one line per
 * write in order, or `--format json`. Exit 0 done, 2 could not (usage, unreadable state).
 */
import type { AuditEntry } from '../../simulator/audit';
import { StateStore } from '../../simulator/store';
import { joinLines, jsonText } from '../../text/escape';
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import type { CliIO } from '../command';
import { EXIT_OK, UsageError, type ExitCode } from '../exit-codes';

const AUDIT_OPTIONS = {
  state: { value: 'path', description: 'state file', required: true },
  start: { description: 'start recording every write (an empty log; an existing log is dropped)' },
  stop: { description: 'stop recording and drop the log' },
  format: { short: 'f', value: 'format', description: 'output format', choices: ['text', 'json'], default: 'text' },
} as const satisfies OptionSpecs;

/** `Set-CASMailbox Identity="user000001" PopEnabled=false` (`on EX01` for a service cmdlet; `(no change)` when it set what was there). */
function entryLine(entry: AuditEntry): string {
  const parameters = Object.entries(entry.parameters).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return [entry.cmdlet, ...parameters, ...(entry.computerName === undefined ? [] : [`on ${entry.computerName}`]), ...(entry.changed ? [] : ['(no change)'])].join(' ');
}

export async function runSimAudit(options: OptionValues<typeof AUDIT_OPTIONS>, io: CliIO): Promise<ExitCode> {
  if (options.start === true && options.stop === true) throw new UsageError('--start and --stop exclude each other');
  const store = new StateStore(options.state);
  const log = await store.update((s) => {
    if (options.start === true) s.auditLog = [];
    if (options.stop === true) delete s.auditLog;
    return { result: s.auditLog, changed: options.start === true || options.stop === true };
  });
  if (options.format === 'json') io.stdout(jsonText({ recording: log !== undefined, writes: log ?? [] }));
  else io.stdout(log === undefined ? 'not recording (start with --start)\n' : joinLines([`recording: ${log.length} write(s)`, ...log.map(entryLine)]));
  return EXIT_OK;
}

export const auditCommand = (guarded: (io: CliIO, name: string, run: () => Promise<ExitCode>) => Promise<ExitCode>) =>
  defineCommand({
    name: 'audit',
    description: 'record every write the simulator runs, in order, and print the log (resume and idempotency tests)',
    options: AUDIT_OPTIONS,
    run: (_args, options, { io }) => guarded(io, 'audit', () => runSimAudit(options, io)),
  });
