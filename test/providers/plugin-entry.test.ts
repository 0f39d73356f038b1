/**
 * mailpolicy's entry of the dynamic-provider plugin (providers/plugin/): the script Pulumi.yaml
 * names serves the plugin shipped in @pulumi/pulumi, and closure serialisation, deferred there,
 * still works when something calls it.
 */
import * as grpc from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResourceProviderClient } from '@pulumi/pulumi/proto/provider_grpc_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import type { PluginInfo } from '@pulumi/pulumi/proto/plugin_pb';
import { describe, expect, it } from 'vitest';
import { DEFERRED_SDK_MODULES } from '../../providers/plugin/deferred-modules';
import { call, startPluginCommand, stopPluginProcess } from '../support/plugin-process';
import { assertBuilt, ROOT } from './provider-plugin';

const SDK_DIR = path.dirname(require.resolve('@pulumi/pulumi/package.json', { paths: [ROOT] }));
const SDK_VERSION = (JSON.parse(fs.readFileSync(path.join(SDK_DIR, 'package.json'), 'utf8')) as { version: string }).version;

/** Runs a script in a plain Node process (not under vitest) and returns what it printed as JSON. */
function inNode(script: string): unknown {
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

describe('the pulumi-resource-pulumi-nodejs script in providers/plugin', () => {
  it('serves the plugin of the installed @pulumi/pulumi over gRPC', async () => {
    assertBuilt();
    const script = path.join(ROOT, 'providers', 'plugin', 'pulumi-resource-pulumi-nodejs');
    // The script runs `node` from PATH, as the engine's environment has it.
    const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
    const plugin = await startPluginCommand(script, ['127.0.0.1:1'], { cwd: ROOT, env });
    const client = new ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
    try {
      const info = await call<Empty, PluginInfo>(client.getPluginInfo.bind(client), new Empty());
      expect(info.getVersion()).toBe(SDK_VERSION);
    } finally {
      client.close();
      await stopPluginProcess(plugin.child);
    }
  });
});

describe('deferred closure serialisation', () => {
  const deferred = path.join(ROOT, 'dist', 'providers', 'plugin', 'deferred-modules.js');

  it('names modules the installed SDK has, whose exports are all functions (what the stand-ins forward)', () => {
    for (const relative of DEFERRED_SDK_MODULES) {
      const file = path.join(SDK_DIR, relative);
      expect(fs.existsSync(file), `${relative} is not in @pulumi/pulumi ${SDK_VERSION}: update DEFERRED_SDK_MODULES`).toBe(true);
      const kinds = inNode(`const m = require(${JSON.stringify(file)}); process.stdout.write(JSON.stringify(Object.keys(m).filter((k) => k !== '__esModule').map((k) => [k, typeof m[k]])));`) as [string, string][];
      expect(kinds.length).toBeGreaterThan(0);
      for (const [name, kind] of kinds) expect(kind, `${relative} exports ${name}`).toBe('function');
    }
  });

  it('keeps TypeScript and arborist out of the SDK load, and loads them when a closure is serialised', () => {
    assertBuilt();
    const result = inNode(`
      const { deferClosureModules } = require(${JSON.stringify(deferred)});
      const loaded = (name) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + name + '/'));
      const files = deferClosureModules(${JSON.stringify(SDK_DIR)});
      const runtime = require(${JSON.stringify(path.join(SDK_DIR, 'runtime'))});
      const before = { typescript: loaded('typescript'), arborist: loaded('@npmcli/arborist') };
      runtime.serializeFunction(() => 6 * 7).then((serialized) => {
        process.stdout.write(JSON.stringify({ files: files.length, before, after: loaded('typescript'), text: serialized.text }));
      });
    `) as { files: number; before: { typescript: boolean; arborist: boolean }; after: boolean; text: string };
    expect(result.files).toBe(DEFERRED_SDK_MODULES.length);
    expect(result.before).toEqual({ typescript: false, arborist: false });
    expect(result.after).toBe(true);
    expect(result.text).toContain('6 * 7');
  });

  it('leaves a module the SDK does not have alone', () => {
    assertBuilt();
    const count = inNode(`const { deferClosureModules } = require(${JSON.stringify(deferred)}); process.stdout.write(JSON.stringify(deferClosureModules(${JSON.stringify(path.join(ROOT, 'test'))}).length));`);
    expect(count).toBe(0);
  });
});
