/** How the model's enum values are written in messages, matching Microsoft's own names. */
import type { Protocol } from '../model/types';

export const PROTOCOL_NAMES: Readonly<Record<Protocol, string>> = {
  pop3: 'POP3',
  imap4: 'IMAP4',
};
