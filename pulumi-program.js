// The Pulumi program's entry (Pulumi.yaml `main`): the compiled program in dist/program.
// It sits at the project root on purpose: the engine starts the program and the provider
// plugins in the directory of `main`, so relative paths in stack config (simulatorState,
// certificateFile) resolve from the project directory for both. A project that installs mailpolicy
// from npm names this file as node_modules/mailpolicy/pulumi-program.js (`mailpolicy init`); there
// the program and plugins find the project as the nearest directory above holding Pulumi.yaml.
'use strict';
module.exports = require('./dist/program/index.js');
