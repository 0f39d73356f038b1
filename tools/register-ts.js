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
// Option values as names (transpileModule accepts them), so they go into the cache key without loading the compiler.
const COMPILER_OPTIONS = { module: 'commonjs', target: 'es2023', esModuleInterop: true, sourceMap: false, inlineSourceMap: true };
const TS_VERSION = require('typescript/package.json').version;
let ts;

/** The cached output is what one compiler made with one set of options: a new TypeScript or new options miss the cache. */
function cacheKey(filename, source, version = TS_VERSION, options = COMPILER_OPTIONS) {
  return crypto.createHash('sha256').update(version).update('\0').update(JSON.stringify(options)).update('\0').update(filename).update('\0').update(source).digest('hex');
}

function compile(filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const cached = path.join(cacheDir, `${cacheKey(filename, source)}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not cached yet.
  }
  ts = ts || require('typescript');
  const output = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { ...COMPILER_OPTIONS },
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

module.exports = { cacheKey };
