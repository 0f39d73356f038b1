/**
 * Running the real Pulumi CLI offline against this repository: finds the engine through
 * scripts/pulumi-engine.sh (which builds it from Go modules when it is not cached), and builds
 * the environment every `pulumi` child process gets — a local file backend, a fixed
 * passphrase, no update check, no plugin downloads, its own PULUMI_HOME. Shared by
 * `npm run demo`, the engine test tier (test/e2e) and bench/preview.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../src/package-root';

/**
 * The passphrase of the example stacks' local state (`npm run demo`, the engine tests, the
 * benchmark): stacks/Pulumi.contoso-worldwide.yaml carries the `encryptionsalt` that
 * `pulumi stack init` made with it, so the demo leaves the tree clean. Protects nothing real.
 */
export const DEMO_PASSPHRASE = 'mailpolicy-demo';

/**
 * The directory holding `pulumi` and `pulumi-language-nodejs`: the last stdout line of
 * scripts/pulumi-engine.sh. The script's progress (a cold build takes many minutes) and its
 * instructions when it cannot provide the engine go straight to this process's stderr.
 */
export function engineBinDir(): string {
  const root = packageRoot();
  const script = path.join(root, 'scripts', 'pulumi-engine.sh');
  const result = spawnSync('bash', [script], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`cannot run ${script}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`scripts/pulumi-engine.sh failed with exit status ${result.status} (its messages are above)`);
  const lines = result.stdout.trim().split('\n');
  const dir = lines[lines.length - 1] ?? '';
  for (const binary of ['pulumi', 'pulumi-language-nodejs']) {
    if (!fs.existsSync(path.join(dir, binary))) throw new Error(`the engine directory "${dir}" has no ${binary}`);
  }
  return dir;
}

export interface PulumiEnvOptions {
  /** From engineBinDir(). */
  readonly binDir: string;
  /** The file backend's directory (created if missing). */
  readonly backendDir: string;
  /** PULUMI_HOME (created if missing); default `<backendDir>/.pulumi-home`. */
  readonly pulumiHome?: string;
  /** Encrypts the stack's secrets in the file backend. */
  readonly passphrase: string;
}

/** Variables that would point a child `pulumi` at another backend, account or project. */
const INHERITED_PULUMI_VARIABLES = /^PULUMI_/;

/**
 * The environment of a `pulumi` child process: this process's without PULUMI_* variables, offline,
 * on the file backend, with the engine and this process's Node first on PATH (the language host
 * runs the program with the `node` it finds there).
 */
export function pulumiEnv(options: PulumiEnvOptions): NodeJS.ProcessEnv {
  const base = process.env;
  const backendDir = path.resolve(options.backendDir);
  const pulumiHome = path.resolve(options.pulumiHome ?? path.join(backendDir, '.pulumi-home'));
  fs.mkdirSync(backendDir, { recursive: true });
  fs.mkdirSync(pulumiHome, { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!INHERITED_PULUMI_VARIABLES.test(key)) env[key] = value;
  }
  return {
    ...env,
    PATH: [options.binDir, path.dirname(process.execPath), base.PATH ?? ''].join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_HOME: pulumiHome,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    // V8 code cache for every Node process the engine starts (program, dynamic-provider plugin,
    // policy pack): each loads the Pulumi SDK, ~0.7 s cold; about half of that with the cache.
    NODE_COMPILE_CACHE: base.NODE_COMPILE_CACHE ?? path.join(pulumiHome, 'node-compile-cache'),
  };
}

export interface PulumiResult {
  /** The program and its arguments. */
  readonly commandLine: readonly string[];
  /** Exit status; null when killed by a signal. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface RunPulumiOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Also copy the output to this process's stdout/stderr as it arrives. */
  readonly echo?: boolean;
  /** Kill after this long (default 10 minutes). */
  readonly timeoutMs?: number;
  /** Written to stdin (otherwise stdin is empty). */
  readonly input?: string;
}

/** Runs `pulumi ARGS` and collects its output; never throws for a non-zero exit. */
export function runPulumi(args: readonly string[], options: RunPulumiOptions): Promise<PulumiResult> {
  return runProcess('pulumi', args, options);
}

/** Runs any program with the same collection rules as runPulumi (PATH from options.env). */
export function runProcess(command: string, args: readonly string[], options: RunPulumiOptions): Promise<PulumiResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => {
      out.push(chunk);
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err.push(chunk);
      if (options.echo) process.stderr.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10 * 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        commandLine: [command, ...args],
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
      });
    });
  });
}

/** Fails with the command's output when it did not exit with one of `codes`. */
export function expectExit(result: PulumiResult, codes: readonly number[] = [0]): PulumiResult {
  if (result.code === null || !codes.includes(result.code)) {
    throw new Error(`${result.commandLine.join(' ')} exited with ${result.code} (expected ${codes.join(' or ')})\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result;
}
