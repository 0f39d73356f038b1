/**
 * Lets a plain `node` run the TypeScript sources (for the stand-in pwsh in tests): a require
 * hook that transpiles .ts with the project's TypeScript (no type checking), caching the output
 * on disk so later starts skip loading the compiler.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const cacheDir = path.join(os.tmpdir(), `mailpolicy-ts-cache-${process.getuid ? process.getuid() : 'user'}`);
let ts;

function compile(filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not cached yet.
  }
  ts = ts || require('typescript');
  const output = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023, esModuleInterop: true, sourceMap: false, inlineSourceMap: true },
  }).outputText;
  fs.mkdirSync(cacheDir, { recursive: true });
  const temp = `${cached}.${process.pid}.tmp`;
  fs.writeFileSync(temp, output);
  fs.renameSync(temp, cached);
  return output;
}

require.extensions['.ts'] = function loadTs(module, filename) {
  module._compile(compile(filename), filename);
};
