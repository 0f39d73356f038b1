/**
 * Whether the provider process may still talk to Exchange. The Pulumi engine can go away in the
 * middle of an update (killed, or its connection closed) or ask the provider to cancel (the
 * first Ctrl-C); either way nobody will record what the provider writes from then on, so it must
 * stop writing. The plugin entry (providers/plugin/engine-watch.ts) notices and calls `stop`;
 * every backend call of every resource goes through `guarded` (providers/connection.ts), which
 * refuses to start a call once stopped and counts the calls in flight, so the entry can let the
 * one in flight end before the process exits.
 *
 * The state lives on `globalThis` under a registered symbol: the plugin entry and the runtime the
 * `__provider` shim loads are then sure to share it even if they were loaded as two copies of
 * this module.
 */

interface LifelineState {
  reason: string | undefined;
  inFlight: number;
  readonly onStop: Set<(reason: string) => void>;
  readonly onIdle: Set<() => void>;
}

const KEY = Symbol.for('mailpolicy.providers.lifeline');

function state(): LifelineState {
  const holder = globalThis as unknown as Record<symbol, LifelineState | undefined>;
  let s = holder[KEY];
  if (!s) {
    s = { reason: undefined, inFlight: 0, onStop: new Set(), onIdle: new Set() };
    holder[KEY] = s;
  }
  return s;
}

/** A call refused, or abandoned, because the engine went away or cancelled the run. */
export class EngineGoneError extends Error {
  override readonly name = 'EngineGoneError';
}

/** Why the provider stopped; undefined while it may work. */
export function stopReason(): string | undefined {
  return state().reason;
}

/** Stops every further backend call (the first reason is kept) and tells the listeners once. */
export function stop(reason: string): void {
  const s = state();
  if (s.reason !== undefined) return;
  s.reason = reason;
  for (const listener of s.onStop) listener(reason);
}

/** `listener` runs when the provider stops (e.g. to close the open backends, which abandons their calls). */
export function onStop(listener: (reason: string) => void): void {
  state().onStop.add(listener);
}

/** Runs one backend call unless the provider has stopped, counting it while it is in flight. */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  const s = state();
  if (s.reason !== undefined) throw new EngineGoneError(`mailpolicy: not calling Exchange: ${s.reason}`);
  s.inFlight++;
  try {
    return await call();
  } finally {
    s.inFlight--;
    if (s.inFlight === 0) for (const idle of [...s.onIdle]) idle();
  }
}

/** Resolves when no backend call is in flight, or after `timeoutMs`, whichever is first. */
export function settled(timeoutMs: number): Promise<void> {
  const s = state();
  if (s.inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      s.onIdle.delete(done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    s.onIdle.add(done);
  });
}
