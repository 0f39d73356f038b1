/**
 * The names a simulated mailbox answers to, as Exchange resolves -Identity: identity, name,
 * alias, distinguished name, GUID, every email address and user principal name,
 * case-insensitively (Set-CASMailbox reference, -Identity). A row stores only the names that
 * differ from what is derived here (state.ts MailboxDetails), so 100,000 generated mailboxes
 * stay a few megabytes.
 */
import { hash } from 'node:crypto';
import type { Platform } from '../model/types';
import { ROW_DETAILS, ROW_IDENTITY, ROW_SMTP, ROW_UPN, type MailboxRow } from './state';

export interface MailboxNames {
  readonly identity: string;
  readonly name: string;
  readonly alias: string;
  readonly guid: string;
  readonly distinguishedName: string;
  readonly primarySmtpAddress: string;
  readonly userPrincipalName: string;
  /** Every SMTP address, the primary one first. */
  readonly emailAddresses: readonly string[];
}

/** A stable GUID for a mailbox without a stored one: from a hash of its identity, so reads agree across runs. */
export function derivedGuid(identity: string): string {
  const h = hash('sha1', identity.toLowerCase());
  // Version 5 (name-based, SHA-1) and the RFC 4122 variant, as a name-based GUID has.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Where the mailbox sits in the directory: Exchange Online's hosted OU, or an on-premises domain's Users container. */
function distinguishedNameOf(name: string, platform: Platform, organization: string): string {
  const cn = `CN=${name.replace(/[,+"\\<>;=#]/g, (c) => `\\${c}`)}`;
  if (platform === 'exchangeOnline') return `${cn},OU=${organization},OU=Microsoft Exchange Hosted Organizations,DC=NAMPR00A000,DC=PROD,DC=OUTLOOK,DC=COM`;
  return `${cn},CN=Users,${organization.split('.').map((label) => `DC=${label}`).join(',')}`;
}

export function mailboxNames(row: MailboxRow, platform: Platform, organization: string): MailboxNames {
  const details = row[ROW_DETAILS] ?? {};
  const identity = row[ROW_IDENTITY];
  const name = details.name ?? identity;
  return {
    identity,
    name,
    alias: details.alias ?? identity,
    guid: details.guid ?? derivedGuid(identity),
    distinguishedName: details.distinguishedName ?? distinguishedNameOf(name, platform, organization),
    primarySmtpAddress: row[ROW_SMTP],
    userPrincipalName: row[ROW_UPN],
    emailAddresses: [row[ROW_SMTP], ...(details.emailAddresses ?? [])],
  };
}

/** EmailAddresses as Exchange prints them: `SMTP:` for the primary address, `smtp:` for the others. */
export function proxyAddresses(names: MailboxNames): string[] {
  return names.emailAddresses.map((address, i) => `${i === 0 ? 'SMTP' : 'smtp'}:${address}`);
}
