/**
 * Issue 14, "Done when", under the real Pulumi CLI: Microsoft's whole on-premises procedure, with
 * the certificate step the committed woodgrove stack cannot declare (a fresh organisation has no
 * thumbprint to name until one is imported). In its own project: a woodgrove organisation whose
 * POP3 already runs as the document's steps 1-3 leave it (services and settings, applied with the
 * CLI), a certificate imported on each server with `mailpolicy sim certificate add` and assigned
 * to POP and SMTP in the project's copy of the document; then one `pulumi up` enables the
 * certificates, configures the Client Frontend connectors, creates and assigns the authentication
 * policy, and restarts the running POP3 services so they use the new certificate (with the
 * settings already in effect, the certificate is the only reason to restart); a refresh and a
 * preview find nothing to do.
 */
import * as fs from 'node:fs';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_SERVICES } from '../../src/exchange/catalog';
import { pendingSettings } from '../../src/simulator/state';
import { saveState } from '../../src/simulator/store';
import { addCertificateArgs, withCertificates, WOODGROVE_SERVERS, type WoodgroveServer } from '../support/woodgrove-certificates';
import { expectExit, initStack, newProject, readSimulator, seedOrganisation, writes, type TempProject } from './harness';

const STACK = 'woodgrove-onprem';
const POLICY = 'Block legacy POP and IMAP';

describe('the woodgrove-onprem stack with certificates assigned to services, under the real CLI', () => {
  let project: TempProject;
  let statePath: string;
  const thumbprints = {} as Record<WoodgroveServer, string>;

  beforeAll(async () => {
    project = newProject('onprem-procedure');
    // The copied stack config points at this state and at the project's own copy of the document.
    statePath = project.path('.mailpolicy', `${STACK}.state.json`);
    const document = project.path('stacks', `${STACK}.mailpolicy.yaml`);
    await seedOrganisation(statePath, document);
    // Steps 1-3 done before: the document without the connector and the policy, applied with the CLI.
    const steps = load(fs.readFileSync(document, 'utf8')) as { servers: Record<string, unknown>[]; authenticationPolicies?: unknown };
    delete steps.authenticationPolicies;
    for (const server of steps.servers) delete server.smtpClientSubmission;
    const before = project.path('.mailpolicy', 'steps-1-3.mailpolicy.yaml');
    fs.writeFileSync(before, dump(steps));
    expectExit(await project.mailpolicy(['apply', before, '--state', statePath, '--quiet']));
    // Record every write from here on, so the order of the certificate change and the restart can be checked.
    await saveState(statePath, { ...readSimulator(statePath), auditLog: [] });
    for (const server of WOODGROVE_SERVERS) {
      // What an admin does with Import-ExchangeCertificate before declaring the certificate.
      thumbprints[server] = expectExit(await project.mailpolicy(addCertificateArgs(statePath, server))).stdout.trim();
      expect(thumbprints[server]).toMatch(/^[0-9A-F]{40}$/);
    }
    fs.writeFileSync(document, withCertificates(fs.readFileSync(document, 'utf8'), thumbprints));
    await initStack(project, STACK);
  });
  afterAll(() => project?.remove());

  it('one up carries out the whole procedure; a refresh and a preview then find nothing', async () => {
    expectExit(await project.pulumi(['up', '--stack', STACK, '--yes', '--policy-pack', 'policies', '--non-interactive']));
    const state = readSimulator(statePath);

    for (const name of WOODGROVE_SERVERS) {
      const server = state.servers?.find((s) => s.name === name);
      if (!server) throw new Error(`no server ${name} in the simulator`);
      // Enable-ExchangeCertificate -Services POP,SMTP on the imported certificate.
      const certificate = server.certificates?.find((c) => c.thumbprint === thumbprints[name]);
      expect(certificate?.services, `${name} certificate`).toEqual(expect.arrayContaining(['POP', 'SMTP']));
      // POP3 reads its certificate when it starts: both services run, with nothing pending
      // (without the restart, EX01 and EX02 would list Certificate as pending).
      for (const service of [server.pop3.frontEnd, server.pop3.backEnd]) expect({ startupType: service.startupType, status: service.status }, `${name} POP3`).toEqual({ startupType: 'Automatic', status: 'Running' });
      expect(pendingSettings(server.pop3), `${name} POP3 pending`).toEqual([]);
      // The restart came after the certificate was enabled, and restarted both POP3 services.
      const log = state.auditLog ?? [];
      const enabled = log.findIndex((e) => e.cmdlet === 'Enable-ExchangeCertificate' && e.parameters.Server === name && e.changed);
      const restarted = log.findIndex((e) => e.cmdlet === 'Restart-Service' && e.computerName === name);
      expect(enabled, `${name}: Enable-ExchangeCertificate in the write log`).toBeGreaterThanOrEqual(0);
      expect(restarted, `${name}: POP3 restarted after the certificate change`).toBeGreaterThan(enabled);
      expect(log[restarted]?.parameters.Name, `${name}: the services restarted`).toEqual([PROTOCOL_SERVICES.pop3.frontEnd, PROTOCOL_SERVICES.pop3.backEnd]);
      // Authenticated SMTP for the POP3 clients: the server's Client Frontend connector.
      const connector = state.receiveConnectors?.find((c) => c.server === name && c.name === `Client Frontend ${name}`);
      expect(connector?.settings, `${name} Client Frontend`).toMatchObject({ Fqdn: 'mail.woodgrove.com', RequireTLS: true, AdvertiseClientSettings: true, AuthMechanism: expect.arrayContaining(['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'Integrated']) });
    }
    // The policy exists and is assigned to the branch terminal account (Set-User -AuthenticationPolicy).
    expect(state.authenticationPolicies?.map((p) => p.name)).toContain(POLICY);
    expect(state.userAuthenticationPolicies).toEqual({ 'branch-terminals': POLICY });

    // Nothing left: the refresh finds Exchange as the state has it, the preview plans nothing, and neither writes.
    const settled = writes(statePath);
    expectExit(await project.pulumi(['refresh', '--stack', STACK, '--yes', '--expect-no-changes', '--non-interactive']));
    expectExit(await project.pulumi(['preview', '--stack', STACK, '--expect-no-changes', '--non-interactive']));
    expect(writes(statePath)).toEqual(settled);
  });
});
