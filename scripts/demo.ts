/**
 * `npm run demo`: the whole toolkit on the embedded simulator with the real Pulumi CLI, from a
 * fresh clone and again on every later run. It
 *   1. gets the engine (scripts/pulumi-engine.sh; builds it from Go modules the first time),
 *   2. creates a simulated worldwide tenant of 2,000 mailboxes (once, in .mailpolicy/),
 *   3. runs `pulumi up --yes --refresh --policy-pack policies` on the contoso-worldwide stack with
 *      a local file backend in .pulumi-state/ (both folders are gitignored),
 *   4. prints the stack outputs, and
 *   5. runs `mailpolicy plan` against the same simulated tenant, which must find nothing to do.
 * Exit status: 0 done and in sync, 1 `mailpolicy plan` still found changes, 2 a step failed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatEndpoints } from '../src/endpoints/format';
import type { ClientEndpoint } from '../src/endpoints';
import type { Target } from '../src/model/types';
import { DEMO_DOCUMENT, DEMO_MAILBOXES, DEMO_STACK, demoStatePath, initSimulatedOrganisation } from './demo-stack';
import { packageRoot } from '../src/package-root';
import { DEMO_PASSPHRASE, engineBinDir, expectExit, pulumiEnv, runProcess, runPulumi, type PulumiResult } from './pulumi-env';

interface DemoOutputs {
  readonly organisation?: Record<string, string>;
  readonly clientEndpoints?: readonly ClientEndpoint[];
  readonly managedResources?: readonly { readonly kind: string; readonly name: string }[];
}

function heading(text: string): void {
  process.stdout.write(`\n== ${text}\n`);
}

function printOutputs(outputs: DemoOutputs): void {
  const organisation = outputs.organisation ?? {};
  for (const [key, value] of Object.entries(organisation)) process.stdout.write(`  ${key.padEnd(13)} ${value}\n`);
  if (outputs.clientEndpoints && organisation.platform !== undefined && organisation.organization !== undefined) {
    const target = { platform: organisation.platform, organization: organisation.organization, ...(organisation.cloud === undefined ? {} : { cloud: organisation.cloud }) } as Target;
    process.stdout.write(`\n${formatEndpoints(target, outputs.clientEndpoints, 'text')}`);
  }
  if (outputs.managedResources) {
    process.stdout.write(`\nmanaged resources (${outputs.managedResources.length}):\n`);
    for (const r of outputs.managedResources) process.stdout.write(`  ${r.kind.padEnd(20)} ${r.name}\n`);
  }
}

async function main(): Promise<number> {
  const root = packageRoot();
  const started = performance.now();

  heading('Pulumi engine (scripts/pulumi-engine.sh)');
  const binDir = engineBinDir();
  const env = pulumiEnv({ binDir, backendDir: path.join(root, '.pulumi-state'), passphrase: DEMO_PASSPHRASE });
  process.stdout.write(`  ${binDir}\n  backend ${env.PULUMI_BACKEND_URL}\n`);
  const pulumi = (args: readonly string[], echo = true): Promise<PulumiResult> => runPulumi(args, { cwd: root, env, echo });
  const mailpolicy = (args: readonly string[], echo = true): Promise<PulumiResult> =>
    runProcess(process.execPath, [path.join(root, 'bin', 'mailpolicy.js'), ...args], { cwd: root, env, echo });

  const statePath = demoStatePath(root);
  const relativeState = path.relative(root, statePath);
  heading(`Simulated tenant (${relativeState})`);
  if (fs.existsSync(statePath)) {
    process.stdout.write('  exists: reusing it\n');
  } else {
    await initSimulatedOrganisation({ mailpolicy }, root, statePath);
    process.stdout.write(`  created a worldwide tenant with ${DEMO_MAILBOXES} mailboxes and Exchange's defaults\n`);
  }

  heading(`Stack ${DEMO_STACK}`);
  expectExit(await pulumi(['stack', 'select', '--create', DEMO_STACK, '--non-interactive']));

  heading(`pulumi up --yes --refresh --policy-pack policies --stack ${DEMO_STACK}`);
  expectExit(await pulumi(['up', '--stack', DEMO_STACK, '--yes', '--refresh', '--policy-pack', 'policies', '--suppress-outputs', '--non-interactive']));

  heading('Stack outputs');
  const outputs = expectExit(await pulumi(['stack', 'output', '--stack', DEMO_STACK, '--json'], false));
  printOutputs(JSON.parse(outputs.stdout) as DemoOutputs);

  heading(`mailpolicy plan ${DEMO_DOCUMENT} --backend simulator --state ${relativeState}`);
  const plan = expectExit(await mailpolicy(['plan', DEMO_DOCUMENT, '--backend', 'simulator', '--state', relativeState]), [0, 1]);

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (plan.code === 0) {
    process.stdout.write(`\nDone in ${seconds} s: the simulated tenant matches ${DEMO_DOCUMENT}; nothing left to do.\n`);
    return 0;
  }
  process.stderr.write(`\nmailpolicy plan still found changes after pulumi up (${seconds} s): see above.\n`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
