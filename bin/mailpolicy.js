#!/usr/bin/env node
'use strict';
// Reuses V8's compiled code across runs (Node >= 22.1): start-up is most of a one-file command's time.
require('node:module').enableCompileCache?.();
// The bundled CLI (scripts/bundle-cli.ts) names its TypeScript sources in stack traces only when asked.
if (process.argv.includes('--debug')) process.setSourceMapsEnabled(true);
// Exit status 2 unless the command completes (runAsProcess in src/cli/main.ts).
require('../dist/cli/mailpolicy.js').runAsProcess(process.argv.slice(2));
