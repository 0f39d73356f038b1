/**
 * The module the `__provider` shim requires (shim protocol 1): every dynamic-provider call of
 * every mailpolicy resource arrives here. One instance per provider process: the stack config
 * from `configure()` and one open backend per organisation are kept for the process's life.
 */
import { escapeControls } from '../src/text/escape';
import { DEFAULT_PROGRESS_INTERVAL_MS, PROGRESS_INTERVAL_ENV, progressInterval } from '../src/report/progress';
import type { Target } from '../src/model/types';
import { RESOURCE_KINDS, type ResourceKind } from './resource-types';
import { backendFor } from './connection';
import * as handlers from './handlers';
import { projectDir } from './project-dir';
import { CONFIG_NAMESPACE, readProviderSettings, type ProviderSettings } from './settings';

const SHIM_PROTOCOLS = [1];

let settings: ProviderSettings | undefined;
let settingsError: Error | undefined;

function assertProtocol(protocol: number): void {
  if (!SHIM_PROTOCOLS.includes(protocol)) {
    throw new Error(`mailpolicy: this version of the mailpolicy package does not understand shim protocol ${protocol}; upgrade the mailpolicy package`);
  }
}

interface ConfigureRequest {
  readonly config?: { get(key: string): unknown };
}

/** Called once per resource kind with the whole stack config, secrets decrypted. */
export async function configure(protocol: number, req: ConfigureRequest): Promise<void> {
  assertProtocol(protocol);
  const get = (key: string): string | undefined => {
    // The engine may not have sent any config (an older engine): the Config object then throws.
    try {
      const value = req.config?.get(`${CONFIG_NAMESPACE}:${key}`);
      return value === undefined || value === null ? undefined : String(value);
    } catch {
      return undefined;
    }
  };
  try {
    settings = readProviderSettings(get, projectDir());
    settingsError = undefined;
  } catch (err) {
    // Reported on the first call that needs a backend: the first check of a valid resource.
    settingsError = err instanceof Error ? err : new Error(String(err));
  }
}

function configured(): ProviderSettings {
  if (settingsError) throw settingsError;
  if (!settings) throw new Error('mailpolicy: the provider was not configured with the stack config');
  return settings;
}

const context: handlers.ProviderContext = {
  backend(target) {
    return backendFor(configured(), target);
  },
  allowUnmatchedExceptions() {
    return configured().allowUnmatchedExceptions;
  },
  maxConcurrency() {
    return configured().maxConcurrency;
  },
  log(message) {
    process.stderr.write(`mailpolicy: ${escapeControls(message)}\n`);
  },
  progressIntervalMs() {
    // A value that is not a whole number is not worth failing an update over: the default.
    return progressInterval(process.env[PROGRESS_INTERVAL_ENV]) ?? DEFAULT_PROGRESS_INTERVAL_MS;
  },
};

type Props = Record<string, unknown>;

/**
 * Check, plus the stack's target verified against the connected organisation (issue 17): the
 * engine checks every resource before it creates, updates or deletes any, in `preview` as in
 * `up`, so a document aimed at another organisation or cloud — or a missing simulator state —
 * fails the whole run with nothing written. Every resource of a stack has the same target and
 * the verification is made once per organisation per provider process (connection.ts), so the
 * other checks wait for the same answer.
 */
async function checkWithTarget(kind: ResourceKind, olds: Props, news: Props): Promise<unknown> {
  const result = handlers.check(kind, olds, news);
  if (result.failures === undefined || result.failures.length === 0) await context.backend(news.target as Target);
  return result;
}

export async function dispatch(protocol: number, kind: string, method: string, args: readonly unknown[]): Promise<unknown> {
  try {
    return await call(protocol, kind, method, args);
  } catch (err) {
    // Pulumi prints the message in the update's log: Exchange's values in it must not start lines of their own.
    if (err instanceof Error) err.message = escapeControls(err.message);
    throw err;
  }
}

async function call(protocol: number, kind: string, method: string, args: readonly unknown[]): Promise<unknown> {
  assertProtocol(protocol);
  if (!(RESOURCE_KINDS as readonly string[]).includes(kind)) throw new Error(`mailpolicy: unknown resource kind ${kind}`);
  const k = kind as ResourceKind;
  const [a, b, c] = args;
  switch (method) {
    case 'check':
      return checkWithTarget(k, a as Props, b as Props);
    case 'diff':
      return handlers.diff(k, a as string, b as Props, c as Props);
    case 'create':
      return handlers.create(context, k, a as Props);
    case 'read':
      return handlers.read(context, k, a as string, b as Props);
    case 'update':
      return handlers.update(context, k, a as string, b as Props, c as Props);
    case 'delete':
      return handlers.remove(context, k, a as string, b as Props);
    default:
      throw new Error(`mailpolicy: unknown provider method ${method}`);
  }
}
