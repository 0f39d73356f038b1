/**
 * What each dynamic-provider method does, for every resource kind: check (model validation),
 * diff (explicit changes, never a replacement), create (adopt: read, apply only the drift),
 * read (actual state as outputs and inputs, so a refresh shows drift), update (complete
 * outputs), delete (leave the organisation as it is, or opt-in restore defaults).
 */
import type * as dynamic from '@pulumi/pulumi/dynamic';
import type { ExchangeBackend } from '../src/exchange/types';
import type { Protocol, Target } from '../src/model/types';
import { restoration } from '../src/reconcile/defaults';
import { applyChanges, describeFailures } from '../src/reconcile/executor';
import { startProgress, type Progress } from '../src/report/progress';
import { countingReads } from '../src/exchange/counting-reads';
import type { Change, ResourceRef } from '../src/reconcile/plan';
import { kindModule, KINDS } from '../src/reconcile/kinds/registry';
import { planResource, type ActualByKind, type ResourcePlan } from '../src/reconcile/planner';
import { readActualFor } from '../src/reconcile/read-actual';
import { notConvergedMessage, settingsNotTaken } from '../src/reconcile/verify';
import { ALLOW_UNMATCHED_CONFIG, unmatchedWarning } from '../src/reconcile/unmatched';
import { containsUnknown } from './unknown';
import { validateInputs } from './validate';
import { refreshedInputs } from './refresh';
import type { ProtocolServiceInputs, ResourceInputsByKind, ResourceKind } from './resource-types';

/** What the runtime gives the handlers: one backend per organisation and a place to say things. */
export interface ProviderContext {
  backend(target: Target): Promise<ExchangeBackend>;
  /** Stack config `mailpolicy:allowUnmatchedExceptions`: apply mailbox settings although an exception identity matches no mailbox. */
  allowUnmatchedExceptions(): boolean;
  /** Stack config `mailpolicy:maxConcurrency`: the most connections mailbox changes may use at once (unset: the default). */
  maxConcurrency?(): number | undefined;
  log(message: string): void;
  /** How often a long apply logs its progress (MAILPOLICY_PROGRESS_INTERVAL_MS, default 10 s). */
  progressIntervalMs(): number;
}

/** `settingsChangeId` of a settings resource that has never applied a change. */
export const NO_SETTINGS_CHANGE = 'none';

// `restoreDefaultsOnDelete` is an input (issue 17): the engine configures a delete with the stack
// config stored at the last `up`, not the one set now, so the setting is compared, shown in the
// preview and stored with each resource, and delete follows what the last `up` recorded.
const COMMON_KEYS = ['target', 'restoreDefaultsOnDelete'] as const;
/** The input properties of each kind: what diff compares and read reports back as inputs. */
export const INPUT_KEYS: Readonly<Record<ResourceKind, readonly string[]>> = Object.fromEntries(
  Object.values(KINDS).map((module): [ResourceKind, readonly string[]] => [module.kind, [...COMMON_KEYS, ...module.inputKeys]]),
) as Record<ResourceKind, readonly string[]>;

type Props = Record<string, unknown>;

export function inputsOf<K extends ResourceKind>(kind: K, props: Props): ResourceInputsByKind[K] {
  const out: Props = {};
  for (const key of INPUT_KEYS[kind]) if (props[key] !== undefined) out[key] = props[key];
  return out as unknown as ResourceInputsByKind[K];
}

/** A stable id: the organisation and the object, never anything that changes with its settings. */
export function resourceId<K extends ResourceKind>(kind: K, inputs: ResourceInputsByKind[K]): string {
  const org = (inputs as unknown as { target: Target }).target.organization.toLowerCase();
  return `${org}/${kindModule(kind).identity(inputs)}`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function check<K extends ResourceKind>(kind: K, _olds: Props, news: Props): dynamic.CheckResult {
  return { inputs: news, failures: validateInputs(kind, news) };
}

export function diff<K extends ResourceKind>(kind: K, _id: string, olds: Props, news: Props): dynamic.DiffResult {
  // State of older versions has no restoreDefaultsOnDelete, which means false: not a change.
  const value = (props: Props, key: string): unknown => (key === 'restoreDefaultsOnDelete' ? props[key] === true : props[key]);
  const changed = INPUT_KEYS[kind].filter((key) => containsUnknown(news[key]) || !sameJson(value(olds, key), value(news, key)));
  // Settings are changed in place: never a replacement, whatever changed.
  return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
}

interface Reconciled<K extends ResourceKind> {
  readonly planned: ResourcePlan;
  readonly actual: ActualByKind[K];
}

async function readAndPlan<K extends ResourceKind>(ctx: ProviderContext, kind: K, id: string, inputs: ResourceInputsByKind[K], settingsChanged: boolean) {
  const target = (inputs as unknown as { target: Target }).target;
  const backend = await ctx.backend(target);
  const actual = await readLogged(ctx, kind, id, inputs, backend);
  const ref: ResourceRef = { kind, name: id };
  return { backend, target, actual, planned: planResource(kind, ref, inputs, actual, { settingsChanged }) };
}

/**
 * A resource's read, through a backend that logs, through the provider's log (which `pulumi up`
 * and `pulumi refresh` show), how many mailboxes a bulk mailbox read has returned so far, every
 * interval, as the CLI's reads do: a 100,000-mailbox read is minutes on a real tenant. The line
 * starts with the first mailbox counted, so other kinds' reads never print one, and a read shorter
 * than one interval prints nothing.
 */
async function readLogged<K extends ResourceKind>(ctx: ProviderContext, kind: K, id: string, inputs: ResourceInputsByKind[K], backend: ExchangeBackend) {
  let progress: Progress | undefined;
  const started = { update: (n: number) => (progress ??= startProgress({ write: (text) => ctx.log(text.replace(/\n$/, '')), terminal: false, intervalMs: ctx.progressIntervalMs(), label: `${id}: reading`, noun: 'mailboxes' })).update(n) };
  const counting = countingReads(backend, started);
  try {
    const actual = await readActualFor(kind, inputs, counting.backend);
    progress?.finish(counting.read());
    return actual;
  } finally {
    progress?.stop();
  }
}

/**
 * Applies the changes. Mailbox changes (CasMailboxProtocol, a write per mailbox) can run for
 * hours on a real tenant: a line of progress through the provider's log (which `pulumi up`
 * shows) every interval while they run, and a done line when one was shown.
 */
async function apply(ctx: ProviderContext, backend: ExchangeBackend, target: Target, id: string, changes: readonly Change[]): Promise<void> {
  const bulk = changes.some((c) => c.bulk);
  const progress = bulk
    ? startProgress({ write: (text) => ctx.log(text.replace(/\n$/, '')), terminal: false, intervalMs: ctx.progressIntervalMs(), label: `${id}: writing`, noun: 'changes', total: changes.length })
    : undefined;
  let result;
  try {
    const maxConcurrency = ctx.maxConcurrency?.();
    result = await applyChanges(target, changes, backend, {
      ...(progress ? { onProgress: (n: number) => progress.update(n) } : {}),
      ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
    });
  } finally {
    progress?.stop();
  }
  if (result.failures.length > 0) throw new ApplyFailedError(`${id}: ${describeFailures(result)}`, result.applied, changes.length);
  progress?.finish(result.applied.length);
}

/** Applying stopped at a failure after `applied` of `total` changes went through. */
class ApplyFailedError extends Error {
  constructor(
    message: string,
    readonly applied: readonly Change[],
    readonly total: number,
  ) {
    super(message);
  }
}

/**
 * What the dynamic provider turns into the engine's partial failure (`ErrorResourceInitFailed`:
 * it reads `id`, `properties`, `reasons`): the engine records `properties` as the resource's
 * outputs, with `reasons` as initialization errors, and the next `pulumi up` updates the resource
 * whatever the diff says.
 */
class PartialApplyError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: readonly string[],
  ) {
    super(message);
  }
}

/**
 * A create or update that failed after writing part of its changes reports what it wrote, so
 * Pulumi's state is never wrong about it: the outputs keep the inputs the organisation was known
 * to have (an update's old outputs; a create's inputs, marked not initialised), so the next diff
 * still sees the change; `changesApplied` counts what this attempt wrote; a settings write gets a
 * new settingsChangeId (its services still owe a restart). The next `pulumi up` plans again from
 * Exchange and writes only what is left. A provider killed outright reports nothing: the engine
 * keeps the old state, and the next update re-plans from Exchange the same way.
 */
function partialFailure<K extends ResourceKind>(kind: K, id: string, err: unknown, known: Props, provider: unknown): unknown {
  if (!(err instanceof ApplyFailedError) || err.applied.length === 0) return err;
  const properties: Props = { ...known, changesApplied: err.applied.length, __provider: provider };
  if (kindModule(kind).appliesAtRestart) properties.settingsChangeId = newSettingsChangeId();
  const reason = `${err.applied.length} of ${err.total} change(s) applied; ${err.message.slice(id.length + 2)}\nthe next pulumi up applies what is left`;
  return new PartialApplyError(err.message, id, properties, [reason]);
}

/** Reads the resource back after applying: a setting Exchange accepted but does not have fails the update (src/reconcile/verify.ts). */
async function verify<K extends ResourceKind>(backend: ExchangeBackend, kind: K, id: string, inputs: ResourceInputsByKind[K]): Promise<void> {
  const after = await readActualFor(kind, inputs, backend);
  const left = settingsNotTaken(planResource(kind, { kind, name: id }, inputs, after, { settingsChanged: false }).changes);
  if (left.length > 0) throw new Error(notConvergedMessage(id, left));
}

async function reconcile<K extends ResourceKind>(ctx: ProviderContext, kind: K, id: string, inputs: ResourceInputsByKind[K], settingsChanged: boolean): Promise<Reconciled<K>> {
  const { backend, target, actual, planned } = await readAndPlan(ctx, kind, id, inputs, settingsChanged);
  for (const note of planned.notes) ctx.log(`${id}: ${note}`);
  const unmatched = unmatchedWarning(planned.unmatched ?? []);
  if (unmatched) {
    // The mailbox an unmatched exception meant would get the default: refuse before any write, unless the stack allows it.
    if (!ctx.allowUnmatchedExceptions()) throw new Error(`${id}: ${unmatched.items.join('; ')}; nothing was changed (set ${ALLOW_UNMATCHED_CONFIG} to true to apply anyway)`);
    ctx.log(`${id}: ${unmatched.heading} ${unmatched.items.join('; ')}`);
  }
  await apply(ctx, backend, target, id, planned.changes);
  if (planned.changes.length > 0) await verify(backend, kind, id, inputs);
  return { planned, actual };
}

function newSettingsChangeId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Outputs: the inputs, plus what the provider knows beyond them. */
function outputs<K extends ResourceKind>(kind: K, inputs: ResourceInputsByKind[K], done: Reconciled<K>, previous: Props | undefined): Props {
  const module = kindModule(kind);
  const out: Props = { ...(inputs as unknown as Props) };
  if (module.appliesAtRestart) {
    const before = typeof previous?.settingsChangeId === 'string' ? previous.settingsChangeId : NO_SETTINGS_CHANGE;
    // Changes only when an applied change takes effect at a restart (a certificate enabled for SMTP
    // alone does not), or when settings were asked to change though nothing was left to write: an
    // earlier update wrote them and stopped (killed, crashed) before Pulumi recorded it, and their
    // restart is still owed.
    const resumed = previous !== undefined && !sameJson(previous.settings, (inputs as unknown as Props).settings);
    out.settingsChangeId = module.appliesAtRestart(inputs, done.planned.changes).length > 0 || resumed ? newSettingsChangeId() : before;
  }
  Object.assign(out, module.appliedOutputs?.(inputs, done.actual));
  out.changesApplied = done.planned.changes.length;
  return out;
}

function restartWanted(kind: ResourceKind, news: Props, olds: Props | undefined): boolean {
  if (!kindModule(kind).restartsFor) return false;
  const id = (news as Partial<ProtocolServiceInputs>).settingsChangeId;
  if (id === undefined || id === NO_SETTINGS_CHANGE) return false;
  return olds === undefined || olds.settingsChangeId !== id;
}

export async function create<K extends ResourceKind>(ctx: ProviderContext, kind: K, news: Props): Promise<dynamic.CreateResult> {
  const inputs = inputsOf(kind, news);
  const id = resourceId(kind, inputs);
  let done;
  try {
    done = await reconcile(ctx, kind, id, inputs, restartWanted(kind, news, undefined));
  } catch (e) {
    throw partialFailure(kind, id, e, { ...(inputs as unknown as Props) }, news.__provider);
  }
  return { id, outs: outputs(kind, inputs, done, undefined) };
}

export async function update<K extends ResourceKind>(ctx: ProviderContext, kind: K, id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  const inputs = inputsOf(kind, news);
  let done;
  try {
    done = await reconcile(ctx, kind, id, inputs, restartWanted(kind, news, olds));
  } catch (e) {
    const { __provider: _stored, ...known } = olds;
    throw partialFailure(kind, id, e, known, news.__provider);
  }
  return { outs: outputs(kind, inputs, done, olds) };
}

export async function read<K extends ResourceKind>(ctx: ProviderContext, kind: K, id: string, props: Props): Promise<dynamic.ReadResult> {
  const inputs = inputsOf(kind, props);
  const target = (inputs as unknown as { target?: Target }).target;
  if (!target) throw new Error(`${id}: the stored state has no target; run \`pulumi up\` first`);
  const backend = await ctx.backend(target);
  const actual = await readLogged(ctx, kind, id, inputs, backend);
  const module = kindModule(kind);
  // Gone from Exchange: an empty id tells the engine the resource no longer exists.
  if (module.exists && !module.exists(inputs, actual)) return { id: '', props: {} };
  // A pending restart is not drift: only settings are compared.
  const planned = planResource(kind, { kind, name: id }, inputs, actual, { settingsChanged: false });
  const asActual = refreshedInputs(kind, inputs, planned.changes);
  const extra: Props = {};
  for (const [key, value] of Object.entries(props)) if (!INPUT_KEYS[kind].includes(key) && key !== '__provider') extra[key] = value;
  Object.assign(extra, module.readOutputs?.(inputs, actual));
  return { id, props: { ...(asActual as unknown as Props), ...extra }, inputs: asActual as unknown as Props };
}

export async function remove<K extends ResourceKind>(ctx: ProviderContext, kind: K, id: string, props: Props): Promise<void> {
  const inputs = inputsOf(kind, props);
  if ((inputs as { restoreDefaultsOnDelete?: unknown }).restoreDefaultsOnDelete !== true) {
    ctx.log(`${id}: removed from the stack; the organisation is left as it is (to put Exchange's defaults back: set mailpolicy:restoreDefaultsOnDelete to true and run pulumi up before removing)`);
    return;
  }
  const target = (inputs as unknown as { target: Target }).target;
  const backend = await ctx.backend(target);
  const module = kindModule(kind);
  const restore = restoration(kind, inputs);
  let changes: readonly Change[];
  if (restore.kind === 'remove') {
    if (!module.planRemoval) throw new Error(`${id}: ${kind} cannot be removed`);
    const actual = await readLogged(ctx, kind, id, inputs, backend);
    const planned = module.planRemoval({ kind, name: id }, restore.name, actual);
    for (const note of planned.notes) ctx.log(`${id}: ${note}`);
    changes = planned.changes;
  } else {
    if (restore.left.length > 0) ctx.log(`${id}: no known Exchange default for ${restore.left.join(', ')}: left as they are`);
    const { planned } = await readAndPlan(ctx, kind, id, restore.inputs, false);
    changes = planned.changes;
  }
  await apply(ctx, backend, target, id, changes);
  ctx.log(`${id}: Exchange defaults restored (${changes.length} change(s))`);
  for (const applies of module.appliesAtRestart?.(inputs, changes) ?? []) await restartForSettings(ctx, id, target, applies.server, applies.protocol);
}

/**
 * Restored POP3/IMAP4 settings take effect only when the services restart: the service
 * resource's restart rule, with its services left in whatever state and startup type they have.
 */
async function restartForSettings(ctx: ProviderContext, id: string, target: Target, server: string, protocol: Protocol): Promise<void> {
  const inputs: ProtocolServiceInputs = { target, server, protocol, service: {} };
  const { backend, planned } = await readAndPlan(ctx, 'ProtocolService', id, inputs, true);
  await apply(ctx, backend, target, id, planned.changes);
  if (planned.changes.length > 0) ctx.log(`${id}: ${planned.changes.map((c) => c.description).join('; ')}`);
}
