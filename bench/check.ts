/**
 * Benchmark of `mailpolicy check`: (1) one file against `node -e ""` on the same machine (the
 * CLI's own start-up cost, measured as bench/startup does for validate too; target under 2x),
 * (2) 1,000 files in one run (target under 3 s).
 * Prints numbers; run after `npm run build`: `node dist/bench/check.js [rounds]`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/package-root';
import { runNode } from './child-run';
import { unbundledCliDriver } from './cli-drivers';
import { compareStartup } from './startup';
import { median } from './stats';

const ROOT = packageRoot();
const BIN = path.join(ROOT, 'bin/mailpolicy.js');

/** A realistic worldwide document: legacy TLS for a scanner, SMTP AUTH exceptions, a waiver. */
export function sampleDocument(i: number): string {
  return `# yaml-language-server: $schema=../schema/mailpolicy.schema.json
apiVersion: mailpolicy/v1
kind: MailPolicy
metadata:
  name: tenant-${i}
  description: Generated for the check benchmark
target:
  platform: exchangeOnline
  cloud: worldwide
  organization: tenant${i}.onmicrosoft.com
transportConfig:
  allowLegacyTLSClients: true
  smtpClientAuthenticationDisabled: true
authenticationPolicies:
  - name: Block Basic Auth
    allowBasicAuthPop: false
    allowBasicAuthImap: false
    allowBasicAuthSmtp: false
    default: true
casMailboxPlans:
  - identity: ExchangeOnlineEnterprise
    popEnabled: false
    imapEnabled: false
casMailboxes:
  default:
    popEnabled: false
    imapEnabled: false
    smtpClientAuthenticationDisabled: null
  exceptions:
    - identities: [scanner${i}@tenant${i}.onmicrosoft.com, printer${i}@tenant${i}.onmicrosoft.com]
      smtpClientAuthenticationDisabled: false
    - identities: [archiver${i}@tenant${i}.onmicrosoft.com]
      imapEnabled: true
waivers:
  - rule: MP-EXO-004
    reason: Scanners cannot do OAuth yet; replacement ordered
    expires: 2027-06-30
`;
}

export function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-bench-check-'));
  try {
    const one = path.join(dir, 'one.mailpolicy.yaml');
    fs.writeFileSync(one, sampleDocument(0));
    const rounds = Number(process.argv[2] ?? 20);
    const checkArgs = ['check', '--as-of', '2027-01-15', one];
    const lines = compareStartup(
      [
        // A finding of the sample document is reported with exit 1: that is check doing its job.
        { label: 'mailpolicy check, one file', args: [BIN, ...checkArgs], okStatuses: [0, 1] },
        // The unbundled modules (dist/src/cli) instead of the bundle: what bundling buys.
        { label: 'the same from the unbundled modules (dist/src/cli)', args: ['-e', unbundledCliDriver(ROOT, checkArgs)], okStatuses: [0, 1] },
      ],
      rounds,
      { target: '< 2x' },
    );
    process.stdout.write(`${lines.join('\n')}\n`);

    const files: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const file = path.join(dir, `tenant-${i}.mailpolicy.yaml`);
      fs.writeFileSync(file, sampleDocument(i));
      files.push(file);
    }
    const runs = [0, 1, 2].map(() => runNode([BIN, 'check', '--as-of', '2027-01-15', '--format', 'json', ...files]));
    const bad = runs.find((r) => r.status !== 0 && r.status !== 1);
    if (bad) throw new Error(`check of 1,000 files failed (exit ${bad.status}): ${bad.stderr.slice(0, 500)}`);
    const ms = median(runs.map((r) => r.wallMs));
    process.stdout.write(`check, 1,000 files: ${(ms / 1000).toFixed(2)} s (${(ms / 1000).toFixed(2)} ms per file; target < 3 s)\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
