/**
 * Acting as the Pulumi engine towards a plugin: start its Node entry point with the engine
 * address it ignores here, take the port from the first stdout line (the plugin protocol), and
 * talk gRPC to it.
 */
import type * as grpc from '@grpc/grpc-js';
import { spawn, type ChildProcess } from 'node:child_process';

export interface PluginProcess {
  readonly child: ChildProcess;
  readonly port: string;
  /** Everything the plugin wrote to stderr so far. */
  readonly stderr: () => string;
}

export interface PluginProcessOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `node <entry> <args...>` and resolves once the plugin has printed its port. */
export function startPluginProcess(entry: string, args: readonly string[], options: PluginProcessOptions): Promise<PluginProcess> {
  return startPluginCommand(process.execPath, [entry, ...args], options);
}

/** Runs a plugin executable as the engine does (e.g. a `pulumi-resource-*` script). */
export async function startPluginCommand(command: string, args: readonly string[], options: PluginProcessOptions): Promise<PluginProcess> {
  const child = spawn(command, args, { cwd: options.cwd, ...(options.env ? { env: options.env } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no port within 20 s; stderr: ${err}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve((out.split('\n')[0] as string).trim());
      }
    });
    child.on('exit', (code) => reject(new Error(`plugin exited with ${code}: ${err}`)));
  });
  return { child, port, stderr: () => err };
}

/** Kills the plugin if it still runs and waits for it to be gone. */
export async function stopPluginProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
  }
}

/** One unary gRPC call as a promise. */
export function call<Req, Res>(fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => fn(req, (err, res) => (err ? reject(err) : resolve(res))));
}
