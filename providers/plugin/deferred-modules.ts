/**
 * The dynamic-provider plugin never serialises closures: it only evaluates the `__provider`
 * text Pulumi stored. Yet @pulumi/pulumi's runtime index loads closure serialisation when it
 * loads (the TypeScript parser and @npmcli/arborist): about 0.27 s of the plugin's 0.38 s
 * start, paid by every preview. Before the SDK loads, these modules are replaced by stand-ins
 * whose functions load the real module on first call, so nothing changes for code that does
 * serialise a closure; it only pays then. A module the SDK no longer has is left alone (the
 * plugin is then only slower); test/providers/plugin-entry.test.ts fails when an SDK
 * upgrade changes what these modules export.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

/** Closure serialisation, relative to the @pulumi/pulumi package directory. */
export const DEFERRED_SDK_MODULES = ['runtime/closure/serializeClosure.js', 'runtime/closure/codePaths.js'] as const;

type Exports = Record<string, unknown>;

/** Module exports whose every function loads the real module on its first call. */
function deferredExports(load: () => Exports): Exports {
  return new Proxy<Exports>(
    {},
    {
      get(_target, key) {
        // Answered without loading: how CommonJS interop and `await` probe a module.
        if (key === '__esModule') return true;
        if (typeof key !== 'string' || key === 'then') return undefined;
        return (...args: unknown[]): unknown => (load()[key] as (...a: unknown[]) => unknown)(...args);
      },
    },
  );
}

/**
 * Puts stand-ins for DEFERRED_SDK_MODULES of the SDK in `sdkDir` into `requireCache`; returns
 * the files deferred.
 */
export function deferClosureModules(sdkDir: string, requireCache: NodeJS.Require['cache'] = require.cache): string[] {
  const deferred: string[] = [];
  for (const relative of DEFERRED_SDK_MODULES) {
    const file = path.join(sdkDir, relative);
    if (!fs.existsSync(file) || requireCache[file] !== undefined) continue;
    let real: Exports | undefined;
    const load = (): Exports => {
      if (real === undefined) {
        delete requireCache[file];
        real = require(file) as Exports;
      }
      return real;
    };
    const stand = new Module(file, module);
    stand.filename = file;
    stand.loaded = true;
    stand.exports = deferredExports(load);
    requireCache[file] = stand;
    deferred.push(file);
  }
  return deferred;
}
