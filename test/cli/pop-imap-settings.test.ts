/**
 * The rest of the Set-PopSettings / Set-ImapSettings surface (issue 14, item 4): Banner, logging,
 * calendar and MIME options, MaxCommandSize, ProxyTargetPort, the POP3-only
 * MessageRetrievalSortOrder and the IMAP4-only ShowHiddenFoldersEnabled. Through the built CLI as
 * a process against the simulator: validate refuses what the reference does not allow (with
 * FILE:LINE:COL), plan sends only the drifted parameters, apply writes them, drift is then in sync
 * and finds a change made behind mailpolicy's back, and export writes them back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorState } from '../../src/simulator/state';
import { tempDir, writeOrg } from '../simulator/helpers';
import { runCliProcess as mailpolicy } from './cli-process';

function document(lines: readonly string[]): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  fs.writeFileSync(
    file,
    [
      'apiVersion: mailpolicy/v1',
      'kind: MailPolicy',
      'metadata: { name: popimap }',
      'target: { platform: exchangeServer, organization: woodgrove.com }',
      'servers:',
      '  - name: EX01',
      ...lines,
      '',
    ].join('\n'),
  );
  return file;
}

const DESIRED = [
  '    pop3:',
  '      settings:',
  '        banner: Woodgrove POP3 ready',
  '        logPerFileSizeQuota: 10MB',
  '        maxCommandSize: 1024',
  '        messageRetrievalSortOrder: Descending',
  '    imap4:',
  '      settings:',
  '        calendarItemRetrievalOption: InternetUrl',
  '        maxCommandSize: 16384',
  '        showHiddenFoldersEnabled: true',
];

interface PlanJson {
  readonly resources: { readonly changes: { readonly cmdlet: string; readonly parameters: Record<string, unknown> }[] }[];
}

describe('POP3/IMAP4 settings: the rest of Set-PopSettings / Set-ImapSettings', () => {
  it.each([
    ['a value the enum does not have', ['    pop3:', '      settings:', '        logFileRollOverSettings: Yearly'], 9, /logFileRollOverSettings: must be one of Hourly, Daily, Weekly, Monthly/],
    ['a POP3 MaxCommandSize above 1024 (IMAP4 allows up to 16384)', ['    pop3:', '      settings:', '        maxCommandSize: 2048'], 9, /maxCommandSize.*1024/],
    ['an IMAP4 MaxCommandSize below 1024', ['    imap4:', '      settings:', '        maxCommandSize: 512'], 9, /maxCommandSize.*1024/],
    ['a setting POP3 does not have (ShowHiddenFoldersEnabled is Set-ImapSettings only)', ['    pop3:', '      settings:', '        showHiddenFoldersEnabled: true'], 9, /unknown key "showHiddenFoldersEnabled"/],
    ['a size that is not one', ['    imap4:', '      settings:', '        logPerFileSizeQuota: 10 apples'], 9, /logPerFileSizeQuota: must be a size/],
  ])('validate refuses %s with FILE:LINE:COL', (_what, lines, line, message) => {
    const file = document(lines);
    const run = mailpolicy(['validate', file]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${path.basename(file)}:${line}:\\d+:`));
    expect(run.stdout + run.stderr).toMatch(message);
  });

  it('plan sends only the drifted parameters, apply writes them, drift is in sync, then finds a change made behind its back; export writes them back', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com' });
    const file = document(DESIRED);
    const state = ['--backend', 'simulator', '--state', org];

    const plan = mailpolicy(['plan', file, ...state, '--format', 'json']);
    expect(plan.status, plan.stderr).toBe(1);
    const sets = (JSON.parse(plan.stdout) as PlanJson).resources.flatMap((r) => r.changes).filter((c) => c.cmdlet.endsWith('Settings'));
    expect(sets.map(({ cmdlet, parameters }) => ({ cmdlet, parameters }))).toEqual([
      { cmdlet: 'Set-PopSettings', parameters: { Server: 'EX01', Banner: 'Woodgrove POP3 ready', LogPerFileSizeQuota: '10 MB', MaxCommandSize: 1024, MessageRetrievalSortOrder: 'Descending' } },
      { cmdlet: 'Set-ImapSettings', parameters: { Server: 'EX01', CalendarItemRetrievalOption: 'InternetUrl', MaxCommandSize: 16384, ShowHiddenFoldersEnabled: true } },
    ]);

    const apply = mailpolicy(['apply', file, ...state]);
    expect(apply.status, apply.stderr).toBe(0);
    const saved = JSON.parse(fs.readFileSync(org, 'utf8')) as SimulatorState;
    // Exchange prints a size with its byte count; mailpolicy compares the bytes.
    expect(saved.servers?.[0]?.pop3.settings.LogPerFileSizeQuota).toBe('10 MB (10,485,760 bytes)');
    expect(saved.servers?.[0]?.imap4.settings.ShowHiddenFoldersEnabled).toBe(true);

    const inSync = mailpolicy(['drift', file, ...state]);
    expect(inSync.status, inSync.stdout + inSync.stderr).toBe(0);

    const exported = path.join(tempDir(), 'export.yaml');
    const exportRun = mailpolicy(['export', ...state, '--output', exported]);
    expect(exportRun.status, exportRun.stderr).toBe(0);
    const text = fs.readFileSync(exported, 'utf8');
    for (const line of ['banner: Woodgrove POP3 ready', 'logPerFileSizeQuota: 10 MB', 'messageRetrievalSortOrder: Descending', 'showHiddenFoldersEnabled: true', 'maxCommandSize: 16384']) expect(text).toContain(line);
    // The exported document is valid: a POP3-only setting is not written under IMAP4, nor the reverse.
    expect(mailpolicy(['validate', exported]).status).toBe(0);

    const behind = mailpolicy(['sim', 'invoke', '--state', org, 'Set-ImapSettings', 'Server=EX01', 'MaxCommandSize=4096']);
    expect(behind.status, behind.stderr).toBe(0);
    const drift = mailpolicy(['drift', file, ...state, '--format', 'json']);
    expect(drift.status, drift.stdout + drift.stderr).toBe(1);
    expect((JSON.parse(drift.stdout) as { drift: { pointer: string }[] }).drift.map((d) => d.pointer)).toEqual(['/servers/0/imap4/settings/maxCommandSize']);
  });

  it('the simulator refuses a value outside the reference\'s range, as Exchange does', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com' });
    const run = mailpolicy(['sim', 'invoke', '--state', org, 'Set-PopSettings', 'Server=EX01', 'MaxCommandSize=2048']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/MaxCommandSize.*between 40 and 1024/);
  });
});
