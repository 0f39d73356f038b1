/**
 * The woodgrove example with certificates assigned to services (issue 14): the committed stack
 * cannot name a thumbprint, because a fresh organisation has none until an admin imports one, so
 * the CLI test and the engine test both import a certificate per server with `mailpolicy sim
 * certificate add` and then write these thumbprints into their own copy of the document.
 */

/** The servers the woodgrove example declares. */
export const WOODGROVE_SERVERS = ['EX01', 'EX02'] as const;
export type WoodgroveServer = (typeof WOODGROVE_SERVERS)[number];

/** `mailpolicy` arguments that import a certificate for mail.woodgrove.com on `server` (stdout: its thumbprint). */
export function addCertificateArgs(state: string, server: string): string[] {
  return ['sim', 'certificate', 'add', '--state', state, '--server', server, '--subject', 'CN=mail.woodgrove.com', '--san', 'mail.woodgrove.com'];
}

/** The woodgrove document `text` with each server's certificate assigned to POP and SMTP; everything else as it was. */
export function withCertificates(text: string, thumbprints: Readonly<Record<WoodgroveServer, string>>): string {
  let result = text;
  for (const server of WOODGROVE_SERVERS) {
    const entry = `  - name: ${server}\n`;
    if (!result.includes(entry)) throw new Error(`the woodgrove document no longer declares server ${server} as "${entry.trim()}"`);
    result = result.replace(entry, `${entry}    certificates:\n      - { thumbprint: ${thumbprints[server]}, services: [POP, SMTP], certificateDomains: [mail.woodgrove.com] }\n`);
  }
  return result;
}
