/** Backends a test opens are closed after it, whatever it did: call once per file, wrap each backend. */
import { afterEach } from 'vitest';
import type { ExchangeBackend } from '../../src/exchange/types';

export function closeAfterEach(): <T extends ExchangeBackend>(backend: T) => T {
  const open: ExchangeBackend[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });
  return (backend) => {
    open.push(backend);
    return backend;
  };
}
