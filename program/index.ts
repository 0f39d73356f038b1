/** Pulumi program entry (Pulumi.yaml `main: dist/program/index.js`): the stack outputs. */
import { runStack } from './main';

export = runStack();
