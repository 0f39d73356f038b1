/**
 * Preloaded (`node --require`) into a child process a benchmark runs: on exit, writes the
 * child's own resource usage (peak RSS included) to the file named by MAILPOLICY_BENCH_USAGE,
 * so the benchmark measures the real CLI process, start-up included.
 */
import * as fs from 'node:fs';

const target = process.env.MAILPOLICY_BENCH_USAGE;
if (target) {
  process.on('exit', () => {
    fs.writeFileSync(target, JSON.stringify(process.resourceUsage()));
  });
}
