/**
 * MailPolicy documents built in code for the rule tests: the model the loader produces,
 * without going through YAML, so each test states exactly the fact it is about.
 */
import type { Cloud, MailPolicy } from '../../src/model/types';

type Parts = Omit<Partial<MailPolicy>, 'apiVersion' | 'kind' | 'metadata' | 'target'>;

export function online(cloud: Cloud, parts: Parts = {}): MailPolicy {
  return {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: { name: `test-${cloud.toLowerCase()}` },
    target: { platform: 'exchangeOnline', cloud, organization: 'contoso.onmicrosoft.com' },
    ...parts,
  };
}

export function onPrem(parts: Parts = {}): MailPolicy {
  return {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: { name: 'test-onprem' },
    target: { platform: 'exchangeServer', organization: 'woodgrove.local' },
    ...parts,
  };
}

/** A server block with a sound POP3 configuration; `pop3` fields override. */
export function soundPop3Server(name = 'EX01') {
  return {
    name,
    pop3: {
      service: { startupType: 'Automatic', state: 'Running' },
      settings: {
        externalConnectionSettings: ['mail.contoso.com:995:SSL', 'mail.contoso.com:110:TLS'],
        x509CertificateName: 'mail.contoso.com',
        sslBindings: ['[::]:995', '0.0.0.0:995'],
        unencryptedOrTLSBindings: ['[::]:110', '0.0.0.0:110'],
        loginType: 'SecureLogin',
      },
    },
  } as const;
}

/** Resolves an RFC 6901 pointer in a plain object: proves a finding points at a real node. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
