/**
 * Parses a state file and checks its shape (the rules of schema/simulator-state.schema.json),
 * by hand so a 100,000-row mailbox list is checked in one quick loop.
 */
import { CLOUDS, PLATFORMS, SERVICE_STATES, STARTUP_TYPES } from '../model/types';
import { isRecord } from '../exchange/is-record';
import { FAULT_KINDS, STATE_VERSION, type SimulatorState } from './state';

export class StateShapeError extends Error {
  override readonly name = 'StateShapeError';
}

export function parseState(text: string, file: string): SimulatorState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new StateShapeError(`${file}: not a simulator state: ${(e as Error).message}`);
  }
  const fail = (where: string, what: string): never => {
    throw new StateShapeError(`${file}: ${where}: ${what}`);
  };
  if (!isRecord(raw)) return fail('/', 'expected an object');
  if (raw.version !== STATE_VERSION) fail('/version', `expected ${STATE_VERSION}, got ${JSON.stringify(raw.version)}`);
  const org = raw.organization;
  if (!isRecord(org)) return fail('/organization', 'expected an object');
  if (!PLATFORMS.includes(org.platform as never)) fail('/organization/platform', `expected one of ${PLATFORMS.join(', ')}`);
  if (typeof org.name !== 'string' || org.name === '') fail('/organization/name', 'expected a non-empty string');
  if (org.platform === 'exchangeOnline' && !CLOUDS.includes(org.cloud as never)) fail('/organization/cloud', `expected one of ${CLOUDS.join(', ')}`);
  if (org.platform === 'exchangeServer' && org.cloud !== undefined) fail('/organization/cloud', 'Exchange Server has no cloud');
  const rows = raw.mailboxes;
  if (!Array.isArray(rows)) return fail('/mailboxes', 'expected an array of rows');
  for (let i = 0; i < rows.length; i++) {
    const r: unknown = rows[i];
    if (
      !Array.isArray(r) ||
      r.length !== 6 ||
      typeof r[0] !== 'string' ||
      typeof r[1] !== 'string' ||
      typeof r[2] !== 'string' ||
      typeof r[3] !== 'boolean' ||
      typeof r[4] !== 'boolean' ||
      (r[5] !== null && typeof r[5] !== 'boolean')
    ) {
      fail(`/mailboxes/${i}`, 'expected [identity, primarySmtpAddress, userPrincipalName, popEnabled, imapEnabled, smtpClientAuthenticationDisabled|null]');
    }
  }
  if (raw.servers !== undefined) {
    if (!Array.isArray(raw.servers)) return fail('/servers', 'expected an array');
    raw.servers.forEach((s: unknown, i: number) => {
      if (!isRecord(s) || typeof s.name !== 'string' || typeof s.fqdn !== 'string') return fail(`/servers/${i}`, 'expected {name, fqdn, pop3, imap4}');
      for (const protocol of ['pop3', 'imap4']) {
        const p = s[protocol];
        if (!isRecord(p) || !isRecord(p.settings)) return fail(`/servers/${i}/${protocol}`, 'expected {settings, frontEnd, backEnd}');
        for (const end of ['frontEnd', 'backEnd']) {
          const svc = p[end];
          if (!isRecord(svc) || !STARTUP_TYPES.includes(svc.startupType as never) || !SERVICE_STATES.includes(svc.status as never) || !Array.isArray(svc.pendingSettings)) {
            fail(`/servers/${i}/${protocol}/${end}`, 'expected {startupType, status, pendingSettings}');
          }
        }
      }
      return undefined;
    });
  }
  if (raw.faults !== undefined) {
    if (!Array.isArray(raw.faults)) return fail('/faults', 'expected an array');
    raw.faults.forEach((f: unknown, i: number) => {
      if (!isRecord(f) || !FAULT_KINDS.includes(f.kind as never)) fail(`/faults/${i}/kind`, `expected one of ${FAULT_KINDS.join(', ')}`);
    });
  }
  return raw as unknown as SimulatorState;
}
