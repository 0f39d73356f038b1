/**
 * The plugin's side of the engine going away. @pulumi/pulumi's dynamic-provider plugin answers
 * Cancel with nothing and never looks at its engine, and the engine starts plugins in process
 * groups of their own: killed (even with its process group), the engine leaves the plugin
 * running, and the provider finishes its update of every mailbox for nobody (issue 17). Three
 * signs are watched here, each of which stops the provider (providers/lifeline.ts: no further
 * Exchange call starts, the open backends are closed, abandoning the call in flight):
 * - the engine calls Cancel (the first Ctrl-C): stop; the engine ends the run and the plugin;
 * - a call in flight is cancelled by the engine's side (its connection closed): the engine is
 *   gone or tearing down: stop and exit;
 * - the plugin's parent changed (the engine died and the plugin was re-parented): stop and exit.
 * On exit the call in flight is given EXIT_GRACE_MS to end, as closing its backend makes it.
 */
import { stop, settled } from '../lifeline';

/** How often the parent is checked: the kill-to-quiet time is at most about this plus the call in flight. */
export const PARENT_POLL_MS = 500;
/** The longest the plugin waits, once its engine is gone, for the call in flight to end. */
export const EXIT_GRACE_MS = 10_000;

interface ServerCall {
  on(event: 'cancelled', listener: () => void): unknown;
  getDeadline(): Date | number;
}
type Handler = (call: ServerCall, callback: (...args: unknown[]) => unknown) => unknown;
type Implementation = Record<string, unknown>;
interface GrpcServerClass {
  prototype: { addService(this: unknown, service: object, implementation: Implementation): void };
}

let exiting = false;

/** Stops the provider and exits once the call in flight has ended (or after the grace period). */
export function engineGone(reason: string): void {
  stop(reason);
  if (exiting) return;
  exiting = true;
  // Nobody may read these pipes any more: a write to them must not become an uncaught error.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  try {
    process.stderr.write(`mailpolicy: ${reason}: no further Exchange call is made; the provider exits\n`);
  } catch {
    // The engine's end of the pipe is gone.
  }
  void settled(EXIT_GRACE_MS).then(() => process.exit(1));
}

/** The provider service's implementation, with Cancel and every call's cancellation watched. */
function watched(implementation: Implementation): Implementation {
  return new Proxy(implementation, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const handler = value as Handler;
      if (key === 'cancel') {
        return (call: ServerCall, callback: (...args: unknown[]) => unknown) => {
          stop('the Pulumi engine cancelled the run');
          return handler.call(target, call, callback);
        };
      }
      return (call: ServerCall, callback: (...args: unknown[]) => unknown) => {
        let answered = false;
        call.on('cancelled', () => {
          // The engine's side also resets a stream it has its answer for, and a deadline cancels
          // a call too: only an unanswered call cancelled before its deadline means the engine left.
          const deadline = call.getDeadline();
          const before = deadline instanceof Date ? deadline.getTime() : deadline;
          if (!answered && Date.now() < before) engineGone('the Pulumi engine closed its connection during a call');
        });
        return handler.call(target, call, (...args: unknown[]) => {
          answered = true;
          return callback(...args);
        });
      };
    },
  });
}

/**
 * Watches the engine for the plugin about to be loaded from the SDK in `sdkDir`: patches
 * addService of the gRPC server class that SDK uses (before the plugin creates its server), and
 * polls the parent process.
 */
export function watchEngine(sdkDir: string): void {
  const grpc = require(require.resolve('@grpc/grpc-js', { paths: [sdkDir] })) as { Server: GrpcServerClass };
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (this: unknown, service: object, implementation: Implementation): void {
    addService.call(this, service, watched(implementation));
  };
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) engineGone('the Pulumi engine exited');
  }, PARENT_POLL_MS).unref();
}
