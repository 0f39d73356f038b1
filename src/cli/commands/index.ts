import type { CliCommand } from '../command';
import { driftCommand } from './drift';
import { endpointsCommand } from './endpoints';
import { exportCommand } from './export';
import { checkCommand } from './check';
import { validateCommand } from './validate';
import { planCommand } from './plan';
import { applyCommand } from './apply';
import { simCommand } from './sim';

/** Every CLI command, in the order `--help` lists them. One module per command. */
export const COMMANDS: readonly CliCommand[] = [validateCommand, checkCommand, endpointsCommand, driftCommand, planCommand, applyCommand, exportCommand, simCommand];
