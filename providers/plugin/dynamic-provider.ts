/**
 * mailpolicy's entry of Pulumi's dynamic-provider plugin (`pulumi-nodejs`), which Pulumi.yaml
 * names through `plugins.providers[].path: providers/plugin`. It runs the plugin that ships in
 * @pulumi/pulumi, exactly as Pulumi's own `pulumi-resource-pulumi-nodejs` script does, with
 * three start-up savings every preview feels: no extra `node -e require.resolve(...)` process
 * to find the plugin, V8's compile cache, and closure serialisation loaded only if used
 * (deferred-modules.ts). It also makes the plugin stop writing, and exit, when its engine goes away
 * or cancels the run (engine-watch.ts), which Pulumi's plugin does not.
 */
import Module from 'node:module';
import * as path from 'node:path';
import { deferClosureModules } from './deferred-modules';
import { watchEngine } from './engine-watch';

const PLUGIN_ENTRY = '@pulumi/pulumi/cmd/dynamic-provider';

/** As Pulumi's script: the project's SDK (the working directory) first, else mailpolicy's own. */
function resolvePluginEntry(): string {
  try {
    return require.resolve(PLUGIN_ENTRY, { paths: [process.cwd()] });
  } catch {
    return require.resolve(PLUGIN_ENTRY);
  }
}

Module.enableCompileCache?.();
const entry = resolvePluginEntry();
const sdkDir = path.resolve(path.dirname(entry), '..', '..');
deferClosureModules(sdkDir);
watchEngine(sdkDir);
require(entry);
