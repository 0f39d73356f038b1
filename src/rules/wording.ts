/** How the model's enum values are written in messages, matching Microsoft's own names. */
import type { Cloud, Protocol } from '../model/types';

export const CLOUD_NAMES: Readonly<Record<Cloud, string>> = {
  worldwide: 'worldwide',
  gcc: 'GCC',
  gccHigh: 'GCC High',
  dod: 'DoD',
  china21Vianet: '21Vianet',
};

export const PROTOCOL_NAMES: Readonly<Record<Protocol, string>> = {
  pop3: 'POP3',
  imap4: 'IMAP4',
};
