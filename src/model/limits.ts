/**
 * Limits that keep hostile input (huge files, alias/anchor expansion bombs, deep nesting) from
 * exhausting memory or time. A real MailPolicy document is a few kilobytes; the limits leave
 * room for tenants listing thousands of mailbox identities.
 */
export const LOAD_LIMITS = {
  /** Largest file accepted, in bytes (1 MiB). */
  maxFileBytes: 1024 * 1024,
  /** Most alias nodes (`*name`) in one document. */
  maxAliases: 1000,
  /** Most nodes in the document once every alias is expanded. */
  maxExpandedNodes: 200_000,
  /** Deepest nesting of mappings and sequences. */
  maxDepth: 64,
} as const;
