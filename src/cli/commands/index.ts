import type { CliCommand } from '../command';
import { endpointsCommand } from './endpoints';

/** Every CLI command, in the order `--help` lists them. One module per command. */
export const COMMANDS: readonly CliCommand[] = [endpointsCommand];
