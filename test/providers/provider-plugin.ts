/**
 * Acts as the Pulumi engine towards the real dynamic-provider plugin: spawns
 * `node dist/providers/plugin/dynamic-provider.js <engine>` in the project directory (what the
 * `pulumi-resource-pulumi-nodejs` script Pulumi.yaml names runs: @pulumi/pulumi's own plugin
 * through mailpolicy's entry), reads the port from its first stdout line and
 * calls Configure, Check, Diff, Create, Read, Update and Delete over gRPC, always sending the
 * `__provider` text that `pulumi up` would store — produced in a plain Node process from the
 * compiled package, as the program produces it.
 */
import * as grpc from '@grpc/grpc-js';
import { execFileSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { ResourceProviderClient } from '@pulumi/pulumi/proto/provider_grpc_pb';
import * as pb from '@pulumi/pulumi/proto/provider_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import { Status } from '@pulumi/pulumi/proto/status_pb';
import { RESOURCE_KINDS, typeToken, type ResourceKind } from '../../providers/resource-types';
import { assertBuildCurrent } from '../support/build-current';
import { call, startPluginProcess, stopPluginProcess } from '../support/plugin-process';

export const ROOT = path.resolve(__dirname, '../..');

/** Providers run the compiled package: fail clearly when dist/ is missing or older than the sources. */
export const assertBuilt = assertBuildCurrent;

/** The `__provider` text of every kind, from the compiled shim in a plain Node process (not under vitest). */
export function providerTexts(): Record<ResourceKind, string> {
  const script = `const { providerShimText } = require('./dist/providers/shim'); const kinds = ${JSON.stringify(RESOURCE_KINDS)};
process.stdout.write(JSON.stringify(Object.fromEntries(kinds.map((k) => [k, providerShimText(k)]))));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as Record<ResourceKind, string>;
}

type Props = Record<string, unknown>;

/** How the engine marks a secret inside a Struct (sdk/go/common/resource/sig). */
const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

function struct(value: Props): Struct {
  // Struct.fromJavaScript rejects undefined: drop it as the engine would.
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(value)) as Parameters<typeof Struct.fromJavaScript>[0]);
}

export interface CheckOutcome {
  readonly inputs: Props;
  readonly failures: readonly { property: string; reason: string }[];
}

export interface DiffOutcome {
  readonly changes: 'none' | 'some' | 'unknown';
  readonly replaces: readonly string[];
  readonly deleteBeforeReplace: boolean;
}

export class ProviderPlugin {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    private readonly texts: Record<ResourceKind, string>,
    readonly stderr: () => string,
  ) {}

  /** `env`: added to the plugin's environment (e.g. the stand-in pwsh's switches). */
  static async start(cwd: string = ROOT, env: Readonly<Record<string, string>> = {}): Promise<ProviderPlugin> {
    const texts = providerTexts();
    const entry = path.join(ROOT, 'dist/providers/plugin/dynamic-provider.js');
    const plugin = await startPluginProcess(entry, ['127.0.0.1:1'], { cwd, env: { ...process.env, PULUMI_NODEJS_PROJECT: 'mailpolicy', PULUMI_NODEJS_STACK: 'test', ...env } });
    const client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
    return new ProviderPlugin(plugin.child, client, texts, plugin.stderr);
  }

  async stop(): Promise<void> {
    this.client.close();
    await stopPluginProcess(this.child);
  }

  /** Kills the plugin at once (SIGKILL), as a provider that crashes mid-call. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
    this.client.close();
  }

  /** Adds `__provider`, as the engine always sends it. */
  private withProvider(kind: ResourceKind, props: Props): Props {
    return { ...props, __provider: this.texts[kind] };
  }

  private urn(kind: ResourceKind, name: string): string {
    return `urn:pulumi:test::mailpolicy::${typeToken(kind)}::${name}`;
  }

  /**
   * The whole stack config, namespaced, as the engine sends it to dynamic providers; keys in
   * `secrets` travel as secret values (the engine's wrapped form), as `pulumi config set --secret` makes them.
   */
  async configure(config: Record<string, string>, secrets: readonly string[] = []): Promise<void> {
    const req = new pb.ConfigureRequest();
    const args: Props = {};
    for (const [k, v] of Object.entries(config)) args[k] = secrets.includes(k) ? { [SECRET_SIG_KEY]: SECRET_SIG, value: v } : v;
    req.setArgs(struct(args));
    for (const [k, v] of Object.entries(config)) req.getVariablesMap().set(k, v);
    await call(this.client.configure.bind(this.client), req);
  }

  async check(kind: ResourceKind, olds: Props, news: Props): Promise<CheckOutcome> {
    const req = new pb.CheckRequest();
    req.setUrn(this.urn(kind, 'r'));
    req.setOlds(struct(olds));
    req.setNews(struct(this.withProvider(kind, news)));
    const res = await call<pb.CheckRequest, pb.CheckResponse>(this.client.check.bind(this.client), req);
    return {
      inputs: (res.getInputs()?.toJavaScript() ?? {}) as Props,
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(kind: ResourceKind, id: string, olds: Props, news: Props): Promise<DiffOutcome> {
    const req = new pb.DiffRequest();
    req.setId(id);
    req.setUrn(this.urn(kind, 'r'));
    req.setOlds(struct(this.withProvider(kind, olds)));
    req.setNews(struct(this.withProvider(kind, news)));
    const res = await call<pb.DiffRequest, pb.DiffResponse>(this.client.diff.bind(this.client), req);
    const changes = { [pb.DiffResponse.DiffChanges.DIFF_NONE]: 'none', [pb.DiffResponse.DiffChanges.DIFF_SOME]: 'some', [pb.DiffResponse.DiffChanges.DIFF_UNKNOWN]: 'unknown' } as const;
    return { changes: changes[res.getChanges()], replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
  }

  async create(kind: ResourceKind, props: Props): Promise<{ id: string; outputs: Props }> {
    const req = new pb.CreateRequest();
    req.setUrn(this.urn(kind, 'r'));
    req.setProperties(struct(this.withProvider(kind, props)));
    const res = await call<pb.CreateRequest, pb.CreateResponse>(this.client.create.bind(this.client), req);
    return { id: res.getId(), outputs: (res.getProperties()?.toJavaScript() ?? {}) as Props };
  }

  async read(kind: ResourceKind, id: string, props: Props): Promise<{ id: string; outputs: Props; inputs: Props | undefined }> {
    const req = new pb.ReadRequest();
    req.setId(id);
    req.setUrn(this.urn(kind, 'r'));
    req.setProperties(struct(this.withProvider(kind, props)));
    const res = await call<pb.ReadRequest, pb.ReadResponse>(this.client.read.bind(this.client), req);
    return { id: res.getId(), outputs: (res.getProperties()?.toJavaScript() ?? {}) as Props, inputs: res.getInputs()?.toJavaScript() as Props | undefined };
  }

  async update(kind: ResourceKind, id: string, olds: Props, news: Props): Promise<Props> {
    const req = new pb.UpdateRequest();
    req.setId(id);
    req.setUrn(this.urn(kind, 'r'));
    req.setOlds(struct(this.withProvider(kind, olds)));
    req.setNews(struct(this.withProvider(kind, news)));
    const res = await call<pb.UpdateRequest, pb.UpdateResponse>(this.client.update.bind(this.client), req);
    return (res.getProperties()?.toJavaScript() ?? {}) as Props;
  }

  /** A Create the caller can cancel while it runs, as an engine that goes away does. */
  startCreate(kind: ResourceKind, props: Props): { readonly done: Promise<unknown>; cancel(): void } {
    const req = new pb.CreateRequest();
    req.setUrn(this.urn(kind, 'r'));
    req.setProperties(struct(this.withProvider(kind, props)));
    let running: grpc.ClientUnaryCall | undefined;
    const done = new Promise((resolve, reject) => {
      running = this.client.create(req, (err, res) => (err ? reject(err) : resolve(res)));
    });
    return { done, cancel: () => running?.cancel() };
  }

  /** Resolves with the plugin's exit code once it has exited on its own. */
  exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return Promise.resolve(this.child.exitCode);
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** What the engine sends every provider on the first Ctrl-C. */
  async cancel(): Promise<void> {
    await call(this.client.cancel.bind(this.client), new Empty());
  }

  async delete(kind: ResourceKind, id: string, props: Props): Promise<void> {
    const req = new pb.DeleteRequest();
    req.setId(id);
    req.setUrn(this.urn(kind, 'r'));
    req.setProperties(struct(this.withProvider(kind, props)));
    await call(this.client.delete.bind(this.client), req);
  }
}

/**
 * The partial state a failed Create or Update carries (the dynamic provider's
 * `ErrorResourceInitFailed` detail in `grpc-status-details-bin`), which the engine records as the
 * resource's outputs with initialization errors; undefined for a plain failure.
 */
export function partialFailureOf(err: unknown): { id: string; properties: Props; reasons: string[] } | undefined {
  const metadata = (err as { metadata?: grpc.Metadata }).metadata;
  const bin = metadata?.get('grpc-status-details-bin')[0];
  if (!(bin instanceof Buffer)) return undefined;
  for (const any of Status.deserializeBinary(bin).getDetailsList()) {
    if (any.getTypeName() !== 'pulumirpc.ErrorResourceInitFailed') continue;
    const detail = pb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    return { id: detail.getId(), properties: (detail.getProperties()?.toJavaScript() ?? {}) as Props, reasons: detail.getReasonsList() };
  }
  return undefined;
}
