/**
 * The text Pulumi stores as each mailpolicy resource's `__provider`: what the dynamic-provider
 * plugin evaluates to get the provider. It is written by hand, not produced by closure
 * serialisation, for three reasons:
 * - `read` and `delete` run the text stored in OLD state (pulumi/pulumi#16826), so it must stay
 *   valid across versions: it only finds the installed mailpolicy package and forwards each call
 *   (the "shim protocol", version 1) — all behaviour lives in versioned code;
 * - nothing is captured: no credentials, no handles, no absolute paths (state moves between
 *   machines); credentials arrive through `configure()`;
 * - serialising closures costs ~0.6 s per program run (TypeScript parser + inspector), which a
 *   no-change preview would pay every time.
 *
 * The package is found as `mailpolicy/dist/providers/runtime.js` from the project directory
 * (an installed dependency), else by walking up from it to the package.json named `mailpolicy`
 * (this repository's own stacks).
 */
import type { ResourceKind } from './resource-types';

export const SHIM_PROTOCOL = 1;

const TEMPLATE = `"use strict";
// mailpolicy dynamic provider shim (protocol 1): finds the mailpolicy package and forwards every call to it.
exports.handler = function () {
  var kind = __KIND__;
  var runtime;
  function load() {
    if (runtime) return runtime;
    var path = require("path");
    var fs = require("fs");
    var file;
    try {
      file = require.resolve("mailpolicy/dist/providers/runtime.js");
    } catch (e) {
      for (var dir = process.cwd(); ; dir = path.dirname(dir)) {
        var manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "mailpolicy") {
          file = path.join(dir, "dist", "providers", "runtime.js");
          break;
        }
        if (path.dirname(dir) === dir) {
          throw new Error("mailpolicy: cannot find the mailpolicy package from " + process.cwd() + "; install it in the Pulumi project");
        }
      }
    }
    runtime = require(file);
    return runtime;
  }
  function call(method, args) {
    return load().dispatch(1, kind, method, args);
  }
  return {
    configure: function (req) { return load().configure(1, req); },
    check: function (olds, news) { return call("check", [olds, news]); },
    diff: function (id, olds, news) { return call("diff", [id, olds, news]); },
    create: function (inputs) { return call("create", [inputs]); },
    read: function (id, props) { return call("read", [id, props]); },
    update: function (id, olds, news) { return call("update", [id, olds, news]); },
    delete: function (id, props) { return call("delete", [id, props]); }
  };
};
`;

/** The `__provider` text of one resource kind. */
export function providerShimText(kind: ResourceKind): string {
  return TEMPLATE.replace('__KIND__', JSON.stringify(kind));
}
