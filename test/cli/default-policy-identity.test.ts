/**
 * Get-OrganizationConfig reports DefaultAuthenticationPolicy as a name, a DN or a GUID depending
 * on the platform (Exchange Online returns the policy's DN). `default: true` must compare by
 * identity, or it drifts forever: through the built CLI as a process, against the simulator
 * reporting the DN form.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeOrg } from '../simulator/helpers';

const BIN = path.resolve(__dirname, '../../bin/mailpolicy.js');
const mailpolicy = (args: readonly string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

function documentWith(policy: string): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  fs.writeFileSync(
    file,
    [
      'apiVersion: mailpolicy/v1',
      'kind: MailPolicy',
      'metadata: { name: default-policy }',
      'target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }',
      'authenticationPolicies:',
      `  - { name: "${policy}", allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false, default: true }`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('the organisation default authentication policy, read back as a DN', () => {
  it.each(['Block Basic Auth', 'Block, Basic'])('apply makes %s the default once; drift and plan then find nothing to do', (policy) => {
    const org = writeOrg({ platform: 'exchangeOnline', organization: 'contoso.onmicrosoft.com' }, (s) => {
      s.organizationConfig = { defaultAuthenticationPolicy: null, reportDefaultPolicyAs: 'distinguishedName' };
    });
    const doc = documentWith(policy);
    const applied = mailpolicy(['apply', doc, '--state', org]);
    expect(applied.status, applied.stderr).toBe(0);
    const drift = mailpolicy(['drift', doc, '--state', org]);
    expect(drift.stderr).toBe('');
    expect(drift.status, drift.stdout).toBe(0);
    const plan = mailpolicy(['plan', doc, '--state', org]);
    expect(plan.status, plan.stdout).toBe(0);
    expect(plan.stdout).not.toContain('OrganizationConfig');
  });
});
