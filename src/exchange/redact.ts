/**
 * Secret redaction: every error, warning, log and debug line that leaves the runner passes
 * through a Redactor that knows the secrets of this connection (certificate password, access
 * token) and of any secret request parameter it has seen.
 */
export const REDACTED = '***';

/** Shorter values would mangle ordinary words; secrets this short are rejected elsewhere anyway. */
const MIN_SECRET_LENGTH = 3;

export class Redactor {
  private readonly forms = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Remembers a secret in every form it may appear in: raw, JSON-escaped, and URL-encoded. */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return;
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
      if (form.length >= MIN_SECRET_LENGTH && out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  }
}
