// Runs the compiled Pulumi program (dist/program/main.js) under pulumi.runtime.setMocks in a
// plain Node process, as the language host would run it, and prints what it registered:
// every resource (type, name, inputs, dependencies) and the stack outputs, as one JSON line.
// Usage: node mocked-program.js <stack> <config JSON> [<secret keys JSON>]
'use strict';
/* global setTimeout */
const path = require('path');
const root = path.resolve(__dirname, '../..');
const pulumi = require(require.resolve('@pulumi/pulumi', { paths: [root] }));

async function main() {
  const [stack, configJson, secretJson] = process.argv.slice(2);
  const resources = [];
  const mocks = {
    newResource(args) {
      const state = { ...args.inputs };
      // What the settings providers output: a change id the service resource takes as input.
      if (/:(PopSettings|ImapSettings|ExchangeCertificate)$/.test(args.type)) state.settingsChangeId = `change-of-${args.name}`;
      resources.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state };
    },
    call() {
      return {};
    },
  };
  await pulumi.runtime.setMocks(mocks, 'mailpolicy', stack, false);
  // The mock monitor keeps dependencies out of newResource's arguments: read them off the request.
  const monitor = pulumi.runtime.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  const dependencies = {};
  monitor.registerResource = (req, callback) => {
    dependencies[req.getName()] = req.getDependenciesList().map((urn) => urn.split('::').pop());
    return register(req, callback);
  };
  pulumi.runtime.setAllConfig(JSON.parse(configJson), secretJson ? JSON.parse(secretJson) : []);
  const { runStack } = require(path.join(root, 'dist/program/main.js'));
  let outputs;
  try {
    outputs = runStack();
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: { name: err.constructor.name, message: err.message } })}\n`);
    return;
  }
  const resolved = await new Promise((resolve) => pulumi.output(outputs).apply(resolve));
  // Registrations finish asynchronously: wait until every declared resource has been recorded.
  for (let i = 0; i < 100 && Object.keys(dependencies).length < resolved.managedResources.length; i++) await new Promise((r) => setTimeout(r, 20));
  process.stdout.write(`${JSON.stringify({ resources, dependencies, outputs: resolved })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exitCode = 1;
});
