/**
 * Ctrl-C during a command that writes: the first SIGINT (or SIGTERM) asks the work to stop at
 * the next safe point (the change in flight finishes) and says so on stderr; a second one ends
 * the process at once, as if there were no handler (Node's default: exit by the signal).
 */
import type { CliIO } from './command';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function stoppable<T>(io: CliIO, command: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    // The next signal finds no handler: the default, which ends the process.
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    controller.abort();
    io.stderr(`\nmailpolicy ${command}: ${name}: stopping after the change in flight (again to stop at once)\n`);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    return await run(controller.signal);
  } finally {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  }
}
