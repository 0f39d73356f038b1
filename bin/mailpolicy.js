#!/usr/bin/env node
'use strict';
// Reuses V8's compiled code across runs (Node >= 22.1): start-up is most of a one-file command's time.
require('node:module').enableCompileCache?.();
// The bundled CLI (scripts/bundle-cli.ts) names its TypeScript sources in stack traces only when asked.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
require('../dist/cli/mailpolicy.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`mailpolicy: internal error: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 2; },
);
