/**
 * The runner starts pwsh without the secrets of its connection in the environment: the CLI reads
 * the access token and certificate password from $MAILPOLICY_ACCESS_TOKEN /
 * $MAILPOLICY_CERTIFICATE_PASSWORD, and a child inheriting them hands them to every module and
 * process it starts (found by the real-PowerShell tier, test/pwsh/cli.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/exchange/request';
import { writeOrg } from '../simulator/helpers';
import { closeAfterEach } from '../support/close-after-each';
import { openStandIn, TOKEN } from './stand-in';

const track = closeAfterEach();

describe('the environment of the PowerShell process', () => {
  it('holds no variable carrying a secret of the connection; the rest passes through', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    process.env.MAILPOLICY_ACCESS_TOKEN = TOKEN;
    try {
      const b = track(openStandIn({ state, env: { MAILPOLICY_TEST_WRAPPED: `Bearer ${TOKEN}`, MAILPOLICY_TEST_PLAIN: 'kept' } }));
      await b.invoke(buildRequest('Get-TransportConfig'));
      const environ = readFileSync(`/proc/${String(b.processId())}/environ`, 'latin1').split('\0');
      expect(environ.filter((entry) => entry.includes('S3cr3t'))).toEqual([]);
      expect(environ).toContain('MAILPOLICY_TEST_PLAIN=kept');
    } finally {
      delete process.env.MAILPOLICY_ACCESS_TOKEN;
    }
  });
});
