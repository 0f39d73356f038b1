/** Documents for the rule tests: the shared builders (test/support/documents) and a sound POP3 server. */
export { online, onPrem } from '../support/documents';

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
