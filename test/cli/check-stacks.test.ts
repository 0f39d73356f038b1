/** The example stacks through the real loader and the rule set, and `check` on them. */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/commands/check';
import { main } from '../../src/cli/main';
import { loadPolicyFile, loadPolicyText } from '../../src/model';
import { checkPolicy } from '../../src/rules';
import { EXAMPLE_STACKS } from '../support/example-stacks';
import { loadedOrThrow } from '../../src/model/load';

const file = (name: string) => `stacks/${name}.mailpolicy.yaml`;

function findings(loaded: ReturnType<typeof loadPolicyFile>, asOf = '2027-01-15') {
  const l = loadedOrThrow(loaded);
  return checkPolicy(l.policy, { asOf }).findings.map((f) => {
    const at = l.locate(f.pointer);
    return `${at.line}:${at.column} ${f.rule.id} ${f.outcome}`;
  });
}

describe('example stacks', () => {
  it('each gives exactly the findings its story says', () => {
    const all = Object.fromEntries(EXAMPLE_STACKS.map((s) => [s, findings(loadPolicyFile(file(s)))]));
    expect(all).toEqual({
      // Legacy TLS kept for the scanner (waived), its SMTP AUTH and the archive's IMAP listed.
      'contoso-worldwide': ['17:3 MP-EXO-002 waived', '41:20 MP-EXO-004 advisory', '43:20 MP-EXO-005 advisory'],
      'fabrikam-gcchigh': [],
      'tailspin-21vianet': ['37:11 MP-EXO-005 advisory'],
      'woodgrove-onprem': [],
    });
  });

  // Since issue 11 (item 4) the loader refuses the document itself, so no rule (and no waiver) is ever consulted.
  it('a pull request enabling legacy TLS for the GCC High tenant fails, and no waiver can save it', () => {
    const text = fs.readFileSync(file('fabrikam-gcchigh'), 'utf8');
    expect(text).toMatch(/allowLegacyTLSClients: false/);
    const changed = text.replace(/allowLegacyTLSClients: false/, 'allowLegacyTLSClients: true') + '\nwaivers:\n  - { rule: MP-EXO-001, reason: "just this once", expires: 2027-12-31 }\n';
    const result = loadPolicyText(changed, file('fabrikam-gcchigh'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message)).toEqual([
      'transportConfig.allowLegacyTLSClients: must not be true for target.cloud gccHigh: the legacy TLS endpoints do not exist in GCC, GCC High or DoD and legacy TLS is always off there',
    ]);
  });

  it('check exits 0 on every example today, and 1 on contoso once its waiver has expired', async () => {
    const run = async (...args: string[]) => main(['check', ...args], { stdout: () => undefined, stderr: () => undefined }, [checkCommand]);
    expect(await run('--as-of', '2027-01-15', ...EXAMPLE_STACKS.map(file))).toBe(0);
    expect(await run('--as-of', '2027-03-31', file('contoso-worldwide'))).toBe(0);
    expect(await run('--as-of', '2027-04-01', file('contoso-worldwide'))).toBe(1);
  });
});
