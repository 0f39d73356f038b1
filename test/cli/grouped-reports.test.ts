/**
 * Plans and drift reports people can read at scale, through the CLI as a real process: identical
 * changes grouped by default (text, markdown), every line with --detail, JSON and SARIF listing
 * every item, written in chunks and still the exact text of the unstreamed writers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDrift } from '../../src/drift/check';
import { renderDriftSarif, renderJson as renderDriftJson } from '../../src/drift/render';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { packagePath } from '../../src/package-root';
import { jsonText } from '../../src/text/escape';
import { SimulatorBackend } from '../../src/simulator/backend';
import { ROW_IMAP, ROW_POP } from '../../src/simulator/state';
import { writeOrg } from '../simulator/helpers';
import { runCliProcess } from './cli-process';
import { sarifSchemaErrors } from './sarif-schema';

const DOCUMENT = packagePath('stacks', 'contoso-worldwide.mailpolicy.yaml');
const MAILBOXES = 40;
let state = '';

beforeAll(() => {
  // Every mailbox drifts: 0, 3, 6 … have POP3 and IMAP4 on, the others only POP3.
  state = writeOrg({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com', mailboxes: MAILBOXES }, (s) =>
    s.mailboxes.forEach((row, i) => {
      row[ROW_POP] = true;
      row[ROW_IMAP] = i % 3 === 0;
    }),
  );
});

function cli(...args: string[]): string {
  const r = runCliProcess([...args.slice(0, 2), '--state', state, ...args.slice(2)]);
  expect(r.status, r.stderr).toBe(1);
  return r.stdout;
}

const both = Array.from({ length: MAILBOXES }, (_, i) => i).filter((i) => i % 3 === 0);
const name = (i: number) => `user${String(i + 1).padStart(6, '0')}@contoso.com`;

describe('plan groups identical changes', () => {
  it('text: one line per distinct change, × N mailboxes, the first 5 identities and how many more', () => {
    const out = cli('plan', DOCUMENT);
    expect(out).toContain(`  Set-CASMailbox -PopEnabled:$false -ImapEnabled:$false × ${both.length} mailboxes\n    # popEnabled true → false, imapEnabled true → false\n    -Identity: ${both.slice(0, 5).map(name).join(', ')}\n    … and ${both.length - 5} more (--detail lists every one)\n`);
    expect(out).toContain(`  Set-CASMailbox -PopEnabled:$false × ${MAILBOXES - both.length} mailboxes\n`);
    expect(out.match(/^ {2}Set-CASMailbox -Identity /gm)).toBeNull();
  });

  it('--detail: every change on its own line', () => {
    const out = cli('plan', DOCUMENT, '--detail');
    expect(out.match(/^ {2}Set-CASMailbox -Identity /gm)).toHaveLength(MAILBOXES);
    expect(out).toContain(`  Set-CASMailbox -Identity '${name(0)}' -PopEnabled:$false -ImapEnabled:$false\n`);
    expect(out).not.toContain('×');
  });

  it('markdown: one row per distinct change', () => {
    const out = cli('plan', DOCUMENT, '--format', 'markdown');
    expect(out).toContain(`| \`Set-CASMailbox -PopEnabled:$false -ImapEnabled:$false × ${both.length} mailboxes\` |`);
    expect(out.match(/^\| `Set-CASMailbox /gm)).toHaveLength(2);
    expect(cli('plan', DOCUMENT, '--format', 'markdown', '--detail').match(/^\| `Set-CASMailbox /gm)).toHaveLength(MAILBOXES);
  });

  it('json: every change, with or without --detail, laid out as jsonText lays it out', () => {
    const out = cli('plan', DOCUMENT, '--format', 'json');
    const doc = JSON.parse(out) as { resources: { kind: string; changes: { subject: string }[] }[] };
    expect(doc.resources.find((r) => r.kind === 'CasMailboxProtocol')?.changes).toHaveLength(MAILBOXES);
    expect(out).toBe(jsonText(doc).replace(/^\{\n\s+"backend"/, '{ "backend"'));
    expect(cli('plan', DOCUMENT, '--format', 'json', '--detail')).toBe(out);
  });
});

describe('apply prints its plan grouped', () => {
  it('the grouped plan, then applies every change', () => {
    const own = writeOrg({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com', mailboxes: MAILBOXES }, (s) =>
      s.mailboxes.forEach((row) => {
        row[ROW_POP] = true;
        row[ROW_IMAP] = true;
      }),
    );
    const r = runCliProcess(['apply', DOCUMENT, '--state', own, '--allow-unmatched-exceptions']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`  Set-CASMailbox -PopEnabled:$false -ImapEnabled:$false × ${MAILBOXES} mailboxes\n`);
    expect(r.stdout.match(/^ {2}Set-CASMailbox -Identity /gm)).toBeNull();
    expect(runCliProcess(['drift', DOCUMENT, '--state', own]).status).toBe(0);
  });
});

describe('drift groups the same drift', () => {
  it('text: the same setting, values and declaration on many mailboxes is one line; --detail lists each', () => {
    const out = cli('drift', DOCUMENT);
    expect(out).toMatch(new RegExp(`contoso-worldwide\\.mailpolicy\\.yaml:\\d+:\\d+: popEnabled: desired false, actual true × ${MAILBOXES} mailboxes\\n    mailboxes: ${[0, 1, 2, 3, 4].map(name).join(', ')}\\n    … and ${MAILBOXES - 5} more \\(--detail lists every one\\)\\n    fix, first of them: Set-CASMailbox -Identity '${name(0)}' -PopEnabled:\\$false -ImapEnabled:\\$false\\n`));
    expect(out).toContain(`imapEnabled: desired false, actual true × ${both.length} mailboxes`);
    const detail = cli('drift', DOCUMENT, '--detail', '--limit', '0');
    expect(detail.match(/: user\d+@contoso\.com (pop|imap)Enabled: desired false, actual true$/gm)).toHaveLength(MAILBOXES + both.length);
  });

  it('json and sarif: every item, byte for byte what the unstreamed writers give, valid SARIF', async () => {
    const loaded = loadPolicyFileOrThrow(path.relative(process.cwd(), DOCUMENT));
    const backend = new SimulatorBackend({ statePath: state });
    const report = await checkDrift(loaded, backend).finally(() => backend.close());
    const json = runCliProcess(['drift', path.relative(process.cwd(), DOCUMENT), '--state', state, '--format', 'json']);
    expect(json.stdout).toBe(renderDriftJson(report));
    expect((JSON.parse(json.stdout) as { drift: unknown[] }).drift).toHaveLength(MAILBOXES + both.length + 9);
    const sarif = runCliProcess(['drift', path.relative(process.cwd(), DOCUMENT), '--state', state, '--format', 'sarif']);
    expect(sarif.stdout).toBe(renderDriftSarif(report, { version: JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')).version as string }));
    expect(sarifSchemaErrors(JSON.parse(sarif.stdout))).toEqual([]);
  });
});
