/**
 * The on-premises stack (woodgrove-onprem, two Exchange Server 2019 servers) under the real CLI:
 * enabling POP3 starts both of its services (front end and back end) on every server and sets
 * them Automatic, IMAP4 stays off, and a later settings change on one server restarts that
 * server's POP3 services, and only those, so the change takes effect. The same up configures
 * each server's Client Frontend receive connector (smtpClientSubmission).
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingSettings, type SimServer } from '../../src/simulator/state';
import { expectExit, initStack, newProject, output, readSimulator, seedOrganisation, writes, type TempProject } from './harness';

const STACK = 'woodgrove-onprem';

function server(statePath: string, name: string): SimServer {
  const found = readSimulator(statePath).servers?.find((s) => s.name === name);
  if (!found) throw new Error(`no server ${name} in the simulator`);
  return found;
}

function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    [...new Set([...Object.keys(before), ...Object.keys(after)])].map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)] as const).filter(([, n]) => n !== 0),
  );
}

describe('the woodgrove-onprem stack', () => {
  let project: TempProject;
  let statePath: string;
  let document: string;

  beforeAll(async () => {
    project = newProject('onprem');
    // The copied stack config points at this state; the document is the project's own copy, changed below.
    statePath = project.path('.mailpolicy', `${STACK}.state.json`);
    document = project.path('stacks', `${STACK}.mailpolicy.yaml`);
    await seedOrganisation(statePath, document);
    await initStack(project, STACK);
  });
  afterAll(() => project?.remove());

  it('starts with POP3 and IMAP4 off, as Exchange Server installs them', () => {
    for (const name of ['EX01', 'EX02']) {
      for (const protocol of ['pop3', 'imap4'] as const) {
        const { frontEnd, backEnd } = server(statePath, name)[protocol];
        for (const service of [frontEnd, backEnd]) expect({ startupType: service.startupType, status: service.status }).toEqual({ startupType: 'Manual', status: 'Stopped' });
      }
    }
  });

  it('enabling POP3 starts both services on every server and sets them Automatic; IMAP4 is disabled', async () => {
    expectExit(await project.pulumi(['up', '--stack', STACK, '--yes', '--policy-pack', 'policies', '--non-interactive']));
    for (const name of ['EX01', 'EX02']) {
      const s = server(statePath, name);
      for (const service of [s.pop3.frontEnd, s.pop3.backEnd]) expect({ startupType: service.startupType, status: service.status }, `${name} POP3`).toEqual({ startupType: 'Automatic', status: 'Running' });
      for (const service of [s.imap4.frontEnd, s.imap4.backEnd]) expect({ startupType: service.startupType, status: service.status }, `${name} IMAP4`).toEqual({ startupType: 'Disabled', status: 'Stopped' });
      // Running services read their settings at start: everything configured is in effect.
      expect(pendingSettings(s.pop3), name).toEqual([]);
      expect(s.pop3.settings.ExternalConnectionSettings).toEqual(['mail.woodgrove.com:995:SSL', 'mail.woodgrove.com:110:TLS']);
      expect(s.pop3.settings.ProtocolLogEnabled).toBe(true);
      // Authenticated SMTP for the POP3 clients: the server's Client Frontend connector (issue 14, item 1).
      const connector = readSimulator(statePath).receiveConnectors?.find((c) => c.server === name);
      expect(connector?.settings, `${name} Client Frontend`).toMatchObject({ Fqdn: 'mail.woodgrove.com', RequireTLS: true, AdvertiseClientSettings: true });
    }
    expectExit(await project.pulumi(['preview', '--stack', STACK, '--refresh', '--expect-no-changes', '--non-interactive']));
  });

  it('a settings change on EX01 restarts the POP3 services of EX01 only', async () => {
    const original = fs.readFileSync(document, 'utf8');
    // The first `protocolLogEnabled: true` belongs to EX01's POP3 settings.
    const changed = original.replace('protocolLogEnabled: true', 'protocolLogEnabled: false');
    expect(changed).not.toBe(original);
    fs.writeFileSync(document, changed);

    const before = writes(statePath);
    const preview = expectExit(await project.pulumi(['preview', '--stack', STACK, '--diff', '--non-interactive']));
    expect(output(preview)).toContain('protocolLogEnabled');
    expect(writes(statePath)).toEqual(before);

    expectExit(await project.pulumi(['up', '--stack', STACK, '--yes', '--policy-pack', 'policies', '--non-interactive']));
    const ex01 = server(statePath, 'EX01');
    const ex02 = server(statePath, 'EX02');
    expect(ex01.pop3.settings.ProtocolLogEnabled).toBe(false);
    expect(ex02.pop3.settings.ProtocolLogEnabled).toBe(true);
    // Without a restart EX01 would still list ProtocolLogEnabled as pending.
    expect(pendingSettings(ex01.pop3)).toEqual([]);
    for (const service of [ex01.pop3.frontEnd, ex01.pop3.backEnd]) expect(service.status).toBe('Running');
    // One Set-PopSettings with the one changed parameter, one restart (EX01's two services in one call).
    expect(delta(before, writes(statePath))).toEqual({ 'Set-PopSettings': 1, 'Restart-Service': 1 });

    // Nothing more to do, and a second up restarts nothing.
    const settled = writes(statePath);
    expectExit(await project.pulumi(['up', '--stack', STACK, '--yes', '--refresh', '--non-interactive']));
    expect(writes(statePath)).toEqual(settled);
  });
});
