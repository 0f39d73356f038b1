/**
 * Benchmark of the cost mailpolicy adds to a Pulumi run: `pulumi preview` of the demo stack
 * (contoso-worldwide against a simulated 2,000-mailbox tenant) when there is nothing to do,
 * against `pulumi preview` of an empty Node.js program on the same engine and machine.
 * Target: under 1.5×. Also prints the same preview with the policy pack, as pull requests run it.
 * Needs the engine (scripts/pulumi-engine.sh); run after `npm run build`: `node dist/bench/preview.js [runs]`.
 */
import * as fs from 'node:fs';
import { engineBinDir, expectExit } from '../scripts/pulumi-env';
import { TempProject } from '../scripts/pulumi-project';
import { median } from './stats';
import { DEMO_MAILBOXES, DEMO_STACK, demoStatePath, initSimulatedOrganisation } from '../scripts/demo-stack';

const EMPTY_PROGRAM = `name: mailpolicy-bench-empty
description: An empty Node.js program, the baseline of bench/preview.ts
runtime:
  name: nodejs
  options:
    typescript: false
main: empty.js
`;

async function timedPreviews(project: TempProject, stack: string, extra: readonly string[], runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = expectExit(await project.pulumi(['preview', '--stack', stack, '--expect-no-changes', '--non-interactive', ...extra]));
    times.push(result.ms);
  }
  return times;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const binDir = engineBinDir();
  const demo = TempProject.create({ binDir, prefix: 'mailpolicy-bench-preview-' });
  const empty = TempProject.create({ binDir, prefix: 'mailpolicy-bench-empty-', copyStacks: false, pulumiYaml: EMPTY_PROGRAM });
  try {
    fs.writeFileSync(empty.path('empty.js'), '// Declares nothing.\n');
    await initSimulatedOrganisation(demo, demo.dir, demoStatePath(demo.dir));
    expectExit(await demo.pulumi(['stack', 'init', DEMO_STACK, '--non-interactive']));
    expectExit(await demo.pulumi(['up', '--stack', DEMO_STACK, '--yes', '--non-interactive']));
    expectExit(await empty.pulumi(['stack', 'init', 'bench', '--non-interactive']));
    expectExit(await empty.pulumi(['up', '--stack', 'bench', '--yes', '--non-interactive']));

    // One warm-up each (file system caches, Node's compile cache), then alternate so drift in machine load hits both.
    await timedPreviews(demo, DEMO_STACK, [], 1);
    await timedPreviews(empty, 'bench', [], 1);
    const demoTimes: number[] = [];
    const emptyTimes: number[] = [];
    const packTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      demoTimes.push(...(await timedPreviews(demo, DEMO_STACK, [], 1)));
      emptyTimes.push(...(await timedPreviews(empty, 'bench', [], 1)));
      packTimes.push(...(await timedPreviews(demo, DEMO_STACK, ['--policy-pack', 'policies'], 1)));
    }
    const demoMs = median(demoTimes);
    const emptyMs = median(emptyTimes);
    const packMs = median(packTimes);
    const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
    console.log(`pulumi preview, median of ${runs} (engine ${binDir})`);
    console.log(`  empty Node.js program:                        ${fmt(emptyMs)}`);
    console.log(`  ${DEMO_STACK} (${DEMO_MAILBOXES} mailboxes), no changes:  ${fmt(demoMs)}`);
    console.log(`  the same with --policy-pack policies:         ${fmt(packMs)}`);
    console.log(`ratio demo / empty: ${(demoMs / emptyMs).toFixed(2)}x (target < 1.5x)`);
    console.log(`ratio demo with policy pack / empty: ${(packMs / emptyMs).toFixed(2)}x`);
  } finally {
    demo.remove();
    empty.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(2);
});
