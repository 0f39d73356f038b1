/**
 * Start-up cost of a command against a bare `node -e ""`, measured the same way for every
 * command benchmark (bench/validate, bench/check) so their numbers compare: each series run
 * through bench/child-run, interleaved so machine noise hits every series alike, two warm-up
 * rounds dropped, then the median wall time (runs without the usage preload) and the median CPU
 * time (runs with it), each with its ratio to the bare start.
 */
import { runNode, runNodeWithUsage, type ChildRun } from './child-run';
import { median } from './stats';

export interface StartupSeries {
  readonly label: string;
  /** Node arguments (a script and its arguments, or `-e CODE`). */
  readonly args: readonly string[];
  /** Exit statuses that mean the run did its job (default 0). */
  readonly okStatuses?: readonly number[];
}

const WARM_UP_ROUNDS = 2;
const BARE: StartupSeries = { label: 'node -e ""', args: ['-e', ''] };

/** Lines of text: the bare start, then each series with its ratios (`target` after the first). */
export function compareStartup(series: readonly StartupSeries[], rounds: number, options: { readonly cwd?: string; readonly target?: string } = {}): string[] {
  const all = [BARE, ...series];
  const wall = all.map((): number[] => []);
  const cpu = all.map((): number[] => []);
  for (let round = 0; round < rounds + WARM_UP_ROUNDS; round++) {
    all.forEach((s, i) => {
      const checked = <R extends ChildRun>(run: R): R => {
        if (!(s.okStatuses ?? [0]).includes(run.status ?? -1)) throw new Error(`node ${s.args.join(' ')} exited ${run.status}: ${run.stderr.slice(0, 500)}`);
        return run;
      };
      const runOptions = options.cwd === undefined ? {} : { cwd: options.cwd };
      const plain = checked(runNode(s.args, runOptions));
      const measured = checked(runNodeWithUsage(s.args, runOptions));
      if (round < WARM_UP_ROUNDS) return;
      wall[i]!.push(plain.wallMs);
      cpu[i]!.push(measured.cpuMs);
    });
  }
  const wallMs = wall.map(median);
  const cpuMs = cpu.map(median);
  return all.map((s, i) => {
    if (i === 0) return `${s.label}: wall ${wallMs[0]!.toFixed(1)} ms, CPU ${cpuMs[0]!.toFixed(1)} ms (medians of ${rounds} runs, node ${process.version})`;
    const ratios = `wall ${wallMs[i]!.toFixed(1)} ms (${(wallMs[i]! / wallMs[0]!).toFixed(2)}x), CPU ${cpuMs[i]!.toFixed(1)} ms (${(cpuMs[i]! / cpuMs[0]!).toFixed(2)}x)`;
    return `${s.label}: ${ratios}${i === 1 && options.target ? ` (target ${options.target})` : ''}`;
  });
}
