/**
 * Peak memory of the reports at scale: `mailpolicy plan` (text, json, markdown) and `mailpolicy
 * drift` (text, json, sarif, markdown) of a worldwide organisation with 100,000 mailboxes, every
 * one of them drifted (POP3 and IMAP4 on where the document wants them off), and `mailpolicy
 * export` of one where every fourth mailbox differs from the rest (an exception listing 25,000
 * identities). Each runs as the real CLI in a child process whose own peak RSS
 * (its VmHWM from /proc/self/status at exit, bench/child-usage.ts; start-up included; the simulator serving the state
 * runs in that process, as `--state` does) is printed beside the 400 MB target, with the size of
 * what it wrote. The state files are made here first, outside the measured processes. Exit 1
 * when any run is over the target.
 * Run: npm run build && node dist/bench/report-memory.js [mailboxes]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/package-root';
import { newOrganisation } from '../src/simulator/defaults';
import { serialiseState, ROW_IMAP, ROW_POP, type MailboxRow } from '../src/simulator/state';
import { runNodeWithUsage } from './child-run';

const ROOT = packageRoot();
const BIN = path.join(ROOT, 'bin/mailpolicy.js');
const DOCUMENT = path.join(ROOT, 'stacks', 'contoso-worldwide.mailpolicy.yaml');
const MAILBOXES = Number(process.argv[2] ?? 100_000);
const TARGET_MB = 400;

interface Run {
  readonly name: string;
  readonly args: (states: { readonly drifted: string; readonly varied: string }) => string[];
  /** plan and drift find changes (1); export succeeds (0). */
  readonly status: number;
}

const report = (command: 'plan' | 'drift', format: string): Run => ({ name: `${command} ${format}`, args: ({ drifted }) => [command, DOCUMENT, '--state', drifted, '--format', format], status: 1 });

const RUNS: readonly Run[] = [
  report('plan', 'text'),
  report('plan', 'json'),
  report('plan', 'markdown'),
  report('drift', 'text'),
  report('drift', 'json'),
  report('drift', 'sarif'),
  report('drift', 'markdown'),
  { name: 'export', args: ({ varied }) => ['export', '--state', varied], status: 0 },
];

/** A state file of MAILBOXES mailboxes, each row set by `set`: written before any run is measured. */
function stateFile(work: string, name: string, set: (row: MailboxRow, i: number) => void): string {
  const org = newOrganisation({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com', mailboxes: MAILBOXES });
  org.mailboxes.forEach(set);
  const file = path.join(work, name);
  fs.writeFileSync(file, serialiseState(org));
  return file;
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-bench-report-'));
  try {
    const states = {
      // Every mailbox drifts: the document wants POP3 and IMAP4 off.
      drifted: stateFile(work, 'drifted.state.json', (row) => {
        row[ROW_POP] = true;
        row[ROW_IMAP] = true;
      }),
      // Every fourth mailbox has IMAP4 off: export lists them (25,000 at 100,000) as an exception, near
      // the 1 MiB a document may have.
      varied: stateFile(work, 'varied.state.json', (row, i) => {
        row[ROW_IMAP] = i % 4 !== 0;
      }),
    };
    const lines = [`report memory benchmark: ${MAILBOXES.toLocaleString('en')} mailboxes, all drifted (node ${process.version}, ${os.cpus().length} CPUs)`];
    let over = 0;
    for (const run of RUNS) {
      const done = runNodeWithUsage([BIN, ...run.args(states)]);
      if (done.status !== run.status) throw new Error(`${run.name} exited ${done.status} (expected ${run.status}): ${done.stderr.slice(0, 500)}`);
      const peakMB = done.peakRssBytes / 1024 / 1024;
      if (peakMB >= TARGET_MB) over++;
      const outMB = Buffer.byteLength(done.stdout) / 1024 / 1024;
      lines.push(
        `${run.name.padEnd(15)} peak RSS ${peakMB.toFixed(0).padStart(5)} MB (target < ${TARGET_MB}: ${peakMB < TARGET_MB ? 'ok' : 'OVER TARGET'}), ${(done.wallMs / 1000).toFixed(2)} s, output ${outMB.toFixed(1)} MB`,
      );
    }
    lines.push(over === 0 ? `every run under ${TARGET_MB} MB` : `${over} of ${RUNS.length} run(s) over the ${TARGET_MB} MB target`);
    process.stdout.write(`${lines.join('\n')}\n`);
    if (over > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
