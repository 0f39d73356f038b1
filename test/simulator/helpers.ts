import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExchangeError } from '../../src/exchange/types';
import { newOrganisation, type NewOrganisationOptions } from '../../src/simulator/defaults';
import { serialiseState, type SimulatorState } from '../../src/simulator/state';

export function tempDir(prefix = 'mailpolicy-sim-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a new simulated organisation to a fresh temp dir; returns the state path. */
export function writeOrg(options: NewOrganisationOptions, edit?: (s: SimulatorState) => void): string {
  const state = newOrganisation(options);
  edit?.(state);
  const path = join(tempDir(), 'org.json');
  writeFileSync(path, serialiseState(state));
  return path;
}

/** The ExchangeError a call fails with; fails the test when the call succeeds or throws something else. */
export async function rejection(p: Promise<unknown>): Promise<ExchangeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ExchangeError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
