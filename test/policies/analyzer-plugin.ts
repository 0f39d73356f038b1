/**
 * Acts as the Pulumi engine towards the real analyzer plugin: spawns
 * `node @pulumi/pulumi/cmd/run-policy-pack <engine> .` in policies/ (what pulumi-language-nodejs
 * RunPlugin runs), reads the port from its first stdout line and talks gRPC to it.
 */
import * as grpc from '@grpc/grpc-js';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalyzerClient } from '@pulumi/pulumi/proto/analyzer_grpc_pb';
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import { assertBuildCurrent } from '../support/build-current';
import { call, startPluginProcess, stopPluginProcess } from '../support/plugin-process';

export const ROOT = path.resolve(__dirname, '../..');
export const PACK_DIR = path.join(ROOT, 'policies');

/** The compiled entry the pack's package.json names: tests run what the engine runs. */
export function assertPackBuilt(): void {
  const main = path.resolve(PACK_DIR, (JSON.parse(fs.readFileSync(path.join(PACK_DIR, 'package.json'), 'utf8')) as { main: string }).main);
  if (!fs.existsSync(main)) throw new Error(`${path.relative(ROOT, main)} is missing: run \`npm run build\` first (npm test does)`);
  assertBuildCurrent();
}

export interface Diagnostic {
  readonly policyName: string;
  readonly message: string;
  readonly enforcementLevel: 'advisory' | 'mandatory' | 'remediate' | 'disabled';
  readonly urn: string;
  readonly severity: number;
}

const LEVELS = { [pb.EnforcementLevel.ADVISORY]: 'advisory', [pb.EnforcementLevel.MANDATORY]: 'mandatory', [pb.EnforcementLevel.REMEDIATE]: 'remediate', [pb.EnforcementLevel.DISABLED]: 'disabled' } as const;
const TO_LEVEL = { advisory: pb.EnforcementLevel.ADVISORY, mandatory: pb.EnforcementLevel.MANDATORY, disabled: pb.EnforcementLevel.DISABLED } as const;

function diagnostics(res: pb.AnalyzeResponse): Diagnostic[] {
  return res.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    message: d.getMessage(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()],
    urn: d.getUrn(),
    severity: d.getSeverity(),
  }));
}

export interface TestResource {
  readonly type: string;
  readonly name: string;
  // Resource inputs are arbitrary JSON, as the engine sends them.
  readonly props: Record<string, unknown>;
}

export const urnOf = (r: TestResource) => `urn:pulumi:test::mailpolicy::${r.type}::${r.name}`;

export class AnalyzerPlugin {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: AnalyzerClient,
    readonly stderr: () => string,
  ) {}

  static async start(): Promise<AnalyzerPlugin> {
    const runner = require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [PACK_DIR] });
    const plugin = await startPluginProcess(runner, ['127.0.0.1:1', '.'], { cwd: PACK_DIR });
    const client = new AnalyzerClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
    return new AnalyzerPlugin(plugin.child, client, plugin.stderr);
  }

  async stop(): Promise<void> {
    this.client.close();
    await stopPluginProcess(this.child);
  }

  info(): Promise<pb.AnalyzerInfo> {
    return call(this.client.getAnalyzerInfo.bind(this.client), new Empty());
  }

  async configureStack(tags: Record<string, string> = {}): Promise<void> {
    const req = new pb.AnalyzerStackConfigureRequest();
    req.setStack('test');
    req.setProject('mailpolicy');
    req.setOrganization('organization');
    req.setDryRun(true);
    for (const [k, v] of Object.entries(tags)) req.getTagsMap().set(k, v);
    await call(this.client.configureStack.bind(this.client), req);
  }

  /**
   * What `--policy-pack-config` turns into. Like the engine (ReconcilePolicyPackConfig), a policy
   * configured without an enforcementLevel keeps the level GetAnalyzerInfo announced.
   */
  async configure(config: Record<string, { enforcementLevel?: keyof typeof TO_LEVEL; [key: string]: unknown }>): Promise<void> {
    const defaults = new Map((await this.info()).getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]));
    const req = new pb.ConfigureAnalyzerRequest();
    for (const [name, { enforcementLevel, ...properties }] of Object.entries(config)) {
      const pc = new pb.PolicyConfig();
      pc.setEnforcementlevel(enforcementLevel ? TO_LEVEL[enforcementLevel] : (defaults.get(name) ?? pb.EnforcementLevel.ADVISORY));
      pc.setProperties(Struct.fromJavaScript(properties as Parameters<typeof Struct.fromJavaScript>[0]));
      req.getPolicyconfigMap().set(name, pc);
    }
    await call(this.client.configure.bind(this.client), req);
  }

  async analyze(resource: TestResource): Promise<Diagnostic[]> {
    const req = new pb.AnalyzeRequest();
    req.setType(resource.type);
    req.setName(resource.name);
    req.setUrn(urnOf(resource));
    req.setProperties(Struct.fromJavaScript(resource.props as Parameters<typeof Struct.fromJavaScript>[0]));
    req.setOptions(new pb.AnalyzerResourceOptions());
    return diagnostics(await call(this.client.analyze.bind(this.client), req));
  }

  async analyzeStack(resources: readonly TestResource[]): Promise<Diagnostic[]> {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((r) => {
        const ar = new pb.AnalyzerResource();
        ar.setType(r.type);
        ar.setName(r.name);
        ar.setUrn(urnOf(r));
        ar.setProperties(Struct.fromJavaScript(r.props as Parameters<typeof Struct.fromJavaScript>[0]));
        ar.setOptions(new pb.AnalyzerResourceOptions());
        return ar;
      }),
    );
    return diagnostics(await call(this.client.analyzeStack.bind(this.client), req));
  }
}
