import type { CliCommand } from '../command';
import { driftCommand } from './drift';
import { endpointsCommand } from './endpoints';
import { exportCommand } from './export';

/** Every CLI command, in the order `--help` lists them. One module per command. */
export const COMMANDS: readonly CliCommand[] = [endpointsCommand, driftCommand, exportCommand];
