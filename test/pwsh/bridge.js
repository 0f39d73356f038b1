/**
 * The stand-in Exchange modules' link to the simulator (test only): started once per pwsh by
 * test/pwsh/stand-in-runtime.ps1, it reads one request per line on stdin
 * (`{"cmdlet":"Set-CASMailbox","parameters":{...}}`) and answers each with one line:
 * `{"ok":true,"data":...,"warnings":[...]}`, `{"ok":false,"error":{...},"warnings":[]}`, or
 * `{"crash":true}` (the pwsh then kills itself). Calls run through the simulator's backend
 * (dist/src/simulator/backend.js: `npm run build` first), so state, faults and throttling are
 * the simulator's.
 *
 * Environment:
 *   MAILPOLICY_STANDIN_STATE   simulator state file (required)
 *   MAILPOLICY_STANDIN_FAULTS  JSON list of simulator faults, added to the state file's
 *   MAILPOLICY_STANDIN_HANG    cmdlet name (or *): never answer once a call of it starts
 *   MAILPOLICY_STANDIN_CRASH   cmdlet name (or *): the pwsh dies once a call of it starts
 *   MAILPOLICY_STANDIN_ONCE    directory: each HANG/CRASH fires once across processes
 *   MAILPOLICY_STANDIN_BRIDGE_LOG  file: each request line is appended to it
 *   MAILPOLICY_STANDIN_BRIDGE_ENV  file: receives the bridge's environment (inherited from the
 *                              mailpolicy host's pwsh) as JSON, so tests can look for secrets there
 */
'use strict';
const { appendFileSync } = require('node:fs');
const { SimulatorBackend } = require('../../dist/src/simulator/backend.js');
const { LineSplitter } = require('../../dist/src/exchange/host-protocol.js');
const { CATALOG } = require('../../dist/src/exchange/catalog.js');
const { firesOnce } = require('../../dist/tools/stand-in/stand-in.js');

const env = (name) => {
  const value = process.env[`MAILPOLICY_STANDIN_${name}`];
  return value === undefined || value === '' ? undefined : value;
};

if (env('BRIDGE_ENV')) appendFileSync(env('BRIDGE_ENV'), `${JSON.stringify(process.env)}\n`);

const statePath = env('STATE');
if (!statePath) {
  process.stderr.write('stand-in bridge: set MAILPOLICY_STANDIN_STATE to a simulator state file\n');
  process.exit(2);
}

const matches = (value, cmdlet) => value !== undefined && (value === '*' || value.toLowerCase() === cmdlet.toLowerCase());

let crashed = false;
const crash = () => {
  crashed = true;
  process.stdout.write('{"crash":true}\n');
};

const backend = new SimulatorBackend({
  statePath,
  faults: env('FAULTS') ? JSON.parse(env('FAULTS')) : [],
  // A `hang` fault never answers: the mailpolicy runner's call timeout is what is tested.
  callTimeoutMs: Infinity,
  onCrash: crash,
  onCallStart: async (cmdlet) => {
    if (matches(env('CRASH'), cmdlet) && firesOnce(env('ONCE'), 'crash')) crash();
    if (matches(env('HANG'), cmdlet) && firesOnce(env('ONCE'), 'hang')) await new Promise(() => undefined);
  },
});

async function handle(line) {
  const log = env('BRIDGE_LOG');
  if (log) appendFileSync(log, `${line}\n`);
  const { cmdlet, parameters, computerName } = JSON.parse(line);
  let answer;
  try {
    // Exchange returns every property of an object; the simulator builds a cmdlet's optional ones
    // (the catalog's optionalReturns) only when named, so the bridge names them all: what the
    // host keeps of them is then the host's own shaping, as against Exchange.
    const optional = Object.prototype.hasOwnProperty.call(CATALOG, cmdlet) ? CATALOG[cmdlet].optionalReturns : undefined;
    const properties = optional ? { properties: Object.keys(optional) } : {};
    const [result] = await backend.invokeBatch([{ cmdlet, parameters: parameters ?? {}, ...(computerName === undefined ? {} : { computerName }), ...properties }]);
    answer = result;
  } catch (e) {
    if (crashed) return;
    answer = { ok: false, error: e.info ?? { message: String(e.message), type: 'System.InvalidOperationException', fullyQualifiedErrorId: 'StandInBridge', category: 'NotSpecified', transient: false }, warnings: [] };
  }
  if (crashed) return;
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

let chain = Promise.resolve();
const lines = new LineSplitter((line) => {
  chain = chain.then(() => handle(line));
});
process.stdin.on('data', (chunk) => lines.push(chunk));
// pwsh ended (or was killed): so does the bridge, even in the middle of a hang.
process.stdin.on('end', () => process.exit(0));
