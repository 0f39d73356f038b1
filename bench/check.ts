/**
 * Benchmark of `mailpolicy check`: (1) one file against `node -e ""` on the same machine (the
 * CLI's own start-up cost; target under 2x), (2) 1,000 files in one run (target under 3 s).
 * Prints numbers; run after `npm run build`: `node dist/bench/check.js [rounds]`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/package-root';
import { unbundledCliDriver } from './cli-drivers';
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

const USAGE_PRELOAD = path.join(__dirname, 'child-usage.js');

/**
 * Wall time of one child run, and its CPU time (user + system) as the child itself reports it
 * through bench/child-usage: CPU time is far less disturbed by other work on the machine.
 */
function timeRun(args: readonly string[]): { ms: number; cpuMs: number; status: number | null; stderr: string } {
  const usageFile = path.join(os.tmpdir(), `mailpolicy-bench-usage-${process.pid}.json`);
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--require', USAGE_PRELOAD, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, MAILPOLICY_BENCH_USAGE: usageFile },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { userCPUTime: number; systemCPUTime: number };
  fs.rmSync(usageFile, { force: true });
  return { ms, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, status: run.status, stderr: run.stderr };
}

export function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-bench-check-'));
  try {
    const one = path.join(dir, 'one.mailpolicy.yaml');
    fs.writeFileSync(one, sampleDocument(0));
    const rounds = Number(process.argv[2] ?? 20);
    const series = {
      bare: { args: ['-e', ''], runs: [] as { ms: number; cpuMs: number }[] },
      cli: { args: [BIN, 'check', '--as-of', '2027-01-15', one], runs: [] as { ms: number; cpuMs: number }[] },
      // The unbundled modules (dist/src/cli) instead of the bundle: what bundling buys.
      unbundled: { args: ['-e', unbundledCliDriver(ROOT, ['check', '--as-of', '2027-01-15', one])], runs: [] as { ms: number; cpuMs: number }[] },
    };
    for (let r = 0; r < rounds + 2; r++) {
      // Interleaved so machine noise hits every series alike; the first two rounds warm the caches.
      for (const s of Object.values(series)) {
        const run = timeRun(s.args);
        if (run.status !== 0 && run.status !== 1) throw new Error(`${s.args.join(' ')} exited ${run.status}: ${run.stderr}`);
        if (r >= 2) s.runs.push(run);
      }
    }
    const wall = (s: keyof typeof series) => median(series[s].runs.map((x) => x.ms));
    const cpu = (s: keyof typeof series) => median(series[s].runs.map((x) => x.cpuMs));
    const line = (label: string, s: keyof typeof series) =>
      `${label}: wall ${wall(s).toFixed(1)} ms (ratio ${(wall(s) / wall('bare')).toFixed(2)}x), CPU ${cpu(s).toFixed(1)} ms (ratio ${(cpu(s) / cpu('bare')).toFixed(2)}x)\n`;
    process.stdout.write(`node -e "": wall ${wall('bare').toFixed(1)} ms, CPU ${cpu('bare').toFixed(1)} ms (median of ${rounds}, node ${process.version})\n`);
    process.stdout.write(line('mailpolicy check, one file (target < 2x)', 'cli'));
    process.stdout.write(line('the same from the unbundled modules (dist/src/cli)', 'unbundled'));

    const files: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const file = path.join(dir, `tenant-${i}.mailpolicy.yaml`);
      fs.writeFileSync(file, sampleDocument(i));
      files.push(file);
    }
    const runs = [0, 1, 2].map(() => timeRun([BIN, 'check', '--as-of', '2027-01-15', '--format', 'json', ...files]));
    const bad = runs.find((r) => r.status !== 0 && r.status !== 1);
    if (bad) throw new Error(`check of 1,000 files failed (exit ${bad.status}): ${bad.stderr.slice(0, 500)}`);
    const ms = median(runs.map((r) => r.ms));
    process.stdout.write(`check, 1,000 files: ${(ms / 1000).toFixed(2)} s (${(ms / 1000).toFixed(2)} ms per file; target < 3 s)\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
