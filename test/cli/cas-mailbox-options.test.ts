/**
 * Set-CASMailbox's per-mailbox POP3/IMAP4 options (issue 14, item 4) through the built CLI as a
 * process against the simulator: validate enforces the reference's rule (each option needs its
 * protocol's *UseProtocolDefaults false; *EnableExactRFC822Size is on-premises only) with
 * FILE:LINE:COL; plan sends only the drifted options, apply writes them, drift is then in sync
 * and finds a change made behind mailpolicy's back with `sim invoke`, and export writes them back
 * grouped as exceptions, in a document that validates and plans nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorState } from '../../src/simulator/state';
import { tempDir, writeOrg } from '../simulator/helpers';
import { runCliProcess as mailpolicy } from './cli-process';

function document(lines: readonly string[], target = 'target: { platform: exchangeServer, organization: woodgrove.com }'): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  fs.writeFileSync(file, ['apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: options }', target, 'casMailboxes:', ...lines, ''].join('\n'));
  return file;
}

const ONLINE = 'target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }';

interface PlanJson {
  readonly resources: { readonly changes: { readonly cmdlet: string; readonly parameters: Record<string, unknown> }[] }[];
}

describe('Set-CASMailbox POP3/IMAP4 options', () => {
  it.each([
    ['an option without popUseProtocolDefaults', ['  default:', '    popMessagesRetrievalMimeFormat: TextOnly'], ONLINE, 7, /popMessagesRetrievalMimeFormat: takes effect only when popUseProtocolDefaults is false.*is not declared/],
    ['an option with imapUseProtocolDefaults true', ['  default:', '    imapUseProtocolDefaults: true', '    imapSuppressReadReceipt: true'], undefined, 8, /imapSuppressReadReceipt: takes effect only when imapUseProtocolDefaults is false.*is true \(casMailboxes\.default\.imapUseProtocolDefaults, line 7\)/],
    ['an exception turning the protocol defaults back on beside an option', ['  default: { popUseProtocolDefaults: false }', '  exceptions:', '    - identities: [user000001]', '      popUseProtocolDefaults: true', '      popSuppressReadReceipt: true'], undefined, 10, /popSuppressReadReceipt: takes effect only when popUseProtocolDefaults is false/],
    ['popEnableExactRFC822Size on Exchange Online', ['  default:', '    popUseProtocolDefaults: false', '    popEnableExactRFC822Size: true'], ONLINE, 8, /popEnableExactRFC822Size: valid only for platform exchangeServer/],
    ['a MIME format the reference does not list', ['  default:', '    popUseProtocolDefaults: false', '    popMessagesRetrievalMimeFormat: Markdown'], undefined, 8, /popMessagesRetrievalMimeFormat: must be one of TextOnly/],
  ])('validate refuses %s with FILE:LINE:COL', (_what, lines, target, line, message) => {
    const file = document(lines, target);
    const run = mailpolicy(['validate', file]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${path.basename(file)}:${line}:\\d+:`));
    expect(run.stdout + run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('validate accepts an exception whose option takes effect through the default\'s popUseProtocolDefaults: false', () => {
    const file = document(['  default: { popUseProtocolDefaults: false }', '  exceptions:', '    - identities: [user000001]', '      popSuppressReadReceipt: true']);
    const run = mailpolicy(['validate', file]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it('plan sends only the drifted options, apply writes them, drift is in sync, then finds a change made behind its back; export writes them back as exceptions', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', mailboxes: 4 });
    const file = document([
      '  default:',
      '    popUseProtocolDefaults: false',
      '    popMessagesRetrievalMimeFormat: TextOnly',
      '  exceptions:',
      '    - identities: [user000002@woodgrove.com]',
      '      popUseProtocolDefaults: true',
      '    - identities: [user000003]',
      '      imapUseProtocolDefaults: false',
      '      imapEnableExactRFC822Size: true',
    ]);
    const state = ['--backend', 'simulator', '--state', org];
    expect(mailpolicy(['validate', file]).status).toBe(0);

    const plan = mailpolicy(['plan', file, ...state, '--format', 'json']);
    expect(plan.status, plan.stderr).toBe(1);
    const sets = (JSON.parse(plan.stdout) as PlanJson).resources.flatMap((r) => r.changes).filter((c) => c.cmdlet === 'Set-CASMailbox');
    // user000002 keeps the protocol defaults: its POP3 options would do nothing, so none is sent.
    expect(sets.map((c) => c.parameters)).toEqual([
      { Identity: 'user000001@woodgrove.com', PopUseProtocolDefaults: false, PopMessagesRetrievalMimeFormat: 'TextOnly' },
      { Identity: 'user000003@woodgrove.com', PopUseProtocolDefaults: false, PopMessagesRetrievalMimeFormat: 'TextOnly', ImapUseProtocolDefaults: false, ImapEnableExactRFC822Size: true },
      { Identity: 'user000004@woodgrove.com', PopUseProtocolDefaults: false, PopMessagesRetrievalMimeFormat: 'TextOnly' },
    ]);

    const apply = mailpolicy(['apply', file, ...state]);
    expect(apply.status, apply.stdout + apply.stderr).toBe(0);
    const saved = JSON.parse(fs.readFileSync(org, 'utf8')) as SimulatorState;
    expect(saved.mailboxOptions?.user000003).toEqual({ PopUseProtocolDefaults: false, PopMessagesRetrievalMimeFormat: 'TextOnly', ImapUseProtocolDefaults: false, ImapEnableExactRFC822Size: true });
    expect(saved.mailboxOptions?.user000002).toBeUndefined();

    expect(mailpolicy(['plan', file, ...state]).status).toBe(0);
    const inSync = mailpolicy(['drift', file, ...state]);
    expect(inSync.status, inSync.stdout + inSync.stderr).toBe(0);

    const behind = mailpolicy(['sim', 'invoke', '--state', org, 'Set-CASMailbox', 'Identity=user000004', 'PopMessagesRetrievalMimeFormat=HtmlOnly', 'ImapUseProtocolDefaults=false', 'ImapSuppressReadReceipt=true']);
    expect(behind.status, behind.stderr).toBe(0);
    const drift = mailpolicy(['drift', file, ...state, '--format', 'json']);
    expect(drift.status, drift.stdout + drift.stderr).toBe(1);
    const report = JSON.parse(drift.stdout) as { drift: { pointer: string }[]; undeclared: { objects: { name: string; settings: Record<string, unknown> }[] } };
    expect(report.drift.map((d) => d.pointer)).toEqual(['/casMailboxes/default/popMessagesRetrievalMimeFormat']);
    // The IMAP4 options are read (the document declares some), so the override nobody declared is listed.
    expect(report.undeclared.objects.filter((u) => u.name === 'user000004@woodgrove.com').map((u) => u.settings)).toEqual([{ imapUseProtocolDefaults: false, imapSuppressReadReceipt: true }]);

    const exported = path.join(tempDir(), 'export.yaml');
    const exportRun = mailpolicy(['export', ...state, '--output', exported]);
    expect(exportRun.status, exportRun.stderr).toBe(0);
    const text = fs.readFileSync(exported, 'utf8');
    for (const line of ['popUseProtocolDefaults: false', 'popMessagesRetrievalMimeFormat: TextOnly', 'popMessagesRetrievalMimeFormat: HtmlOnly', 'imapEnableExactRFC822Size: true', 'imapSuppressReadReceipt: true']) expect(text).toContain(line);
    // Valid (every option sits where its *UseProtocolDefaults is false), and nothing to change.
    expect(mailpolicy(['validate', exported]).status).toBe(0);
    const again = mailpolicy(['plan', exported, ...state]);
    expect(again.status, again.stdout + again.stderr).toBe(0);
  });

  it('export of an organisation whose mailboxes keep every option at its default writes none of them', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', mailboxes: 3 });
    const exported = path.join(tempDir(), 'export.yaml');
    expect(mailpolicy(['export', '--backend', 'simulator', '--state', org, '--output', exported]).status).toBe(0);
    const text = fs.readFileSync(exported, 'utf8');
    const section = text.slice(text.indexOf('casMailboxes:'), text.indexOf('\nservers:'));
    expect(section).toMatch(/popEnabled: true/);
    expect(section).not.toMatch(/UseProtocolDefaults|RetrievalMimeFormat|ForceICal|ReadReceipt|RFC822Size/);
  });
});
