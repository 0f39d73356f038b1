/**
 * Get-OrganizationConfig reports DefaultAuthenticationPolicy as a name, a DN or a GUID depending
 * on the platform (Exchange Online returns the policy's DN). `default: true` must compare by
 * identity, or it drifts forever: through the built CLI as a process, against the simulator
 * reporting the DN form.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';
import { tempDir, writeOrg } from '../simulator/helpers';

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
    const applied = runCliProcess(['apply', doc, '--state', org]);
    expect(applied.status, applied.stderr).toBe(0);
    const drift = runCliProcess(['drift', doc, '--state', org]);
    expect(drift.stderr).toBe('');
    expect(drift.status, drift.stdout).toBe(0);
    const plan = runCliProcess(['plan', doc, '--state', org]);
    expect(plan.status, plan.stdout).toBe(0);
    expect(plan.stdout).not.toContain('OrganizationConfig');
  });
});
