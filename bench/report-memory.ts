/**
 * Peak memory of the reports at scale: `mailpolicy plan` (text, json) and `mailpolicy drift`
 * (text, json, sarif, markdown) of a worldwide organisation with 100,000 mailboxes, every one of
 * them drifted (POP3 and IMAP4 on where the document wants them off), each run as the real CLI
 * in a child process whose own peak RSS (process.resourceUsage().maxRSS at exit, start-up
 * included) is printed beside the 400 MB target, with the size of what it wrote.
 * Run: npm run build && node dist/bench/report-memory.js [mailboxes]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/package-root';
import { newOrganisation } from '../src/simulator/defaults';
import { serialiseState, ROW_IMAP, ROW_POP } from '../src/simulator/state';
import { runNodeWithUsage } from './child-run';

const ROOT = packageRoot();
const BIN = path.join(ROOT, 'bin/mailpolicy.js');
const DOCUMENT = path.join(ROOT, 'stacks', 'contoso-worldwide.mailpolicy.yaml');
const MAILBOXES = Number(process.argv[2] ?? 100_000);
const TARGET_MB = 400;

const RUNS: readonly (readonly [command: 'plan' | 'drift', format: string])[] = [
  ['plan', 'text'],
  ['plan', 'json'],
  ['drift', 'text'],
  ['drift', 'json'],
  ['drift', 'sarif'],
  ['drift', 'markdown'],
];

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-bench-report-'));
  try {
    const org = newOrganisation({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com', mailboxes: MAILBOXES });
    // Every mailbox drifts: the document wants POP3 and IMAP4 off.
    for (const row of org.mailboxes) {
      row[ROW_POP] = true;
      row[ROW_IMAP] = true;
    }
    const state = path.join(work, 'org.state.json');
    fs.writeFileSync(state, serialiseState(org));
    const lines = [`report memory benchmark: ${MAILBOXES.toLocaleString('en')} mailboxes, all drifted (node ${process.version}, ${os.cpus().length} CPUs)`];
    let over = 0;
    for (const [command, format] of RUNS) {
      const run = runNodeWithUsage([BIN, command, DOCUMENT, '--state', state, '--format', format]);
      if (run.status !== 1) throw new Error(`${command} --format ${format} exited ${run.status} (expected 1: changes/drift found): ${run.stderr.slice(0, 500)}`);
      const peakMB = run.peakRssBytes / 1024 / 1024;
      if (peakMB >= TARGET_MB) over++;
      const outMB = Buffer.byteLength(run.stdout) / 1024 / 1024;
      lines.push(
        `${`${command} ${format}`.padEnd(15)} peak RSS ${peakMB.toFixed(0).padStart(5)} MB (target < ${TARGET_MB}: ${peakMB < TARGET_MB ? 'ok' : 'OVER TARGET'}), ${(run.wallMs / 1000).toFixed(2)} s, output ${outMB.toFixed(1)} MB`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    if (over > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
