/**
 * Secret redaction: every error, warning, log and debug line that leaves the runner passes
 * through a Redactor that knows the secrets of this connection (certificate password, access
 * token) and of any secret request parameter it has seen.
 */
export const REDACTED = '***';

/**
 * Secrets shorter than this are refused where they enter (CLI environment variables, the stack
 * config, the runner's settings), not redacted. Why refuse rather than redact every secret
 * whatever its length: a one- or two-character secret (or any short one) occurs inside ordinary
 * words, so replacing it would mangle every message Exchange sends back, and which letters turned
 * into `***` would give the secret away. Eight is the usual floor for a password (NIST SP
 * 800-63B); a .pfx password can be chosen again at export, and access tokens are hundreds of
 * characters long.
 */
export const MIN_SECRET_LENGTH = 8;

/** Why `value`, the secret called `name`, is refused; undefined when it is long enough. */
export function shortSecretProblem(name: string, value: string): string | undefined {
  if (value.length >= MIN_SECRET_LENGTH) return undefined;
  return `${name} is shorter than ${MIN_SECRET_LENGTH} characters: a secret that short cannot be redacted from messages without mangling them and giving it away; use a longer one`;
}

export class Redactor {
  private readonly forms = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  /**
   * Remembers a secret in every form it may appear in: raw, JSON-escaped, and URL-encoded. A
   * secret too short to redact throws: it should have been refused where it came in.
   */
  add(secret: string | undefined): void {
    if (secret === undefined || secret === '') return;
    const problem = shortSecretProblem('a secret', secret);
    if (problem) throw new Error(problem);
    this.forms.add(secret);
    this.forms.add(JSON.stringify(secret).slice(1, -1));
    this.forms.add(encodeURIComponent(secret));
  }

  get size(): number {
    return this.forms.size;
  }

  redact(text: string): string {
    if (this.forms.size === 0 || text.length === 0) return text;
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const form of [...this.forms].sort((a, b) => b.length - a.length)) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  }
}
