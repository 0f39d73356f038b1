/**
 * Preloaded (`node --require`) into a child process a benchmark runs: on exit, writes the
 * child's own resource usage (peak RSS included) to the file named by MAILPOLICY_BENCH_USAGE,
 * so the benchmark measures the real CLI process, start-up included.
 *
 * Peak RSS is the process's own high-water mark (`VmHWM` in /proc/self/status) where Linux has
 * it: `getrusage`'s maxRSS carries over the high-water mark of the process that forked the child
 * (spawn forks the benchmark, then execs node), so a benchmark holding 200 MB of an earlier
 * run's output made every later child look at least that large.
 */
import * as fs from 'node:fs';

/** VmHWM in kilobytes, or undefined where /proc is not there. */
function ownPeakRssKb(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const target = process.env.MAILPOLICY_BENCH_USAGE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ ...usage, maxRSS: ownPeakRssKb() ?? usage.maxRSS }));
  });
}
