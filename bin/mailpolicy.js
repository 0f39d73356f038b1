#!/usr/bin/env node
'use strict';
// ECMAScript 5 only in this file (test/cli/node-version.test.ts parses it so): an older Node must
// be able to parse it to reach the version check, which runs before anything built for Node 22.
var engines = require('../package.json').engines.node;
var needed = Number((/^>=\s*(\d+)/.exec(engines) || [])[1]);
var found = process.versions.node;
if (!(Number(found.split('.')[0]) >= needed)) {
  process.stderr.write('mailpolicy: Node.js ' + needed + ' or later is required (package.json engines: ' + engines + '); this is Node.js ' + found + ' (' + process.execPath + ')\n');
  process.exit(2);
}
// Reuses V8's compiled code across runs (Node >= 22.1): start-up is most of a one-file command's time.
var nodeModule = require('node:module');
if (nodeModule.enableCompileCache) nodeModule.enableCompileCache();
// The bundled CLI (scripts/bundle-cli.ts) names its TypeScript sources in stack traces only when asked.
if (process.argv.indexOf('--debug') >= 0) process.setSourceMapsEnabled(true);
// Exit status 2 unless the command completes (runAsProcess in src/cli/main.ts).
require('../dist/cli/mailpolicy.js').runAsProcess(process.argv.slice(2));
