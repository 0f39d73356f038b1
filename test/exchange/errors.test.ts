/**
 * classifyError on Exchange Online errors as the host receives them from the module's
 * Write-ErrorMessage: a WriteErrorException whose message is `<code>|<exception type>|<text>` and
 * whose id is `[Server=…,RequestId=…,TimeStamp=…],Write-ErrorMessage` (docs/exchange-facts.md).
 */
import { describe, expect, it } from 'vitest';
import { classifyError, type ErrorDisposition, unwrapExchangeError } from '../../src/exchange/errors';
import type { CmdletErrorInfo } from '../../src/exchange/types';

const WRAPPER = 'Microsoft.PowerShell.Commands.WriteErrorException';

function online(message: string, id: string): CmdletErrorInfo {
  return { message, type: WRAPPER, fullyQualifiedErrorId: `${id},Write-ErrorMessage`, category: 'NotSpecified', transient: false };
}

/**
 * Rows marked "published" are copied from public issue threads; the others keep that shape with a
 * text no stored public thread shows in this shape (unverified wording, documented behaviour:
 * docs/exchange-facts.md lists these as transient, reconnect or permanent).
 */
const CASES: readonly [string, CmdletErrorInfo, ErrorDisposition, string][] = [
  [
    // published: https://github.com/timmcmic/DLConversionV2/issues/129
    'not found (DLConversionV2 #129)',
    online(
      "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'TestDL9890@test.mail.onmicrosoft.com' couldn't be found on 'DB6PR06A001DC06.EURPR06A001.prod.outlook.com'.",
      '[Server=AM6PR06MB5795,RequestId=7f6f2d5f-726b-5584-2121-922596043d50,TimeStamp=Tue, 28 Mar 2023 13:55:04 GMT]',
    ),
    'permanent',
    'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
  ],
  [
    // published: https://github.com/timmcmic/DLConversionV2/issues/130, the object renamed so the text mentions a timeout
    'not found whose text mentions a timeout (DLConversionV2 #130)',
    online(
      "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'request timed out (503) server busy' couldn't be found on 'DB6PR06A001DC06.EURPR06A001.prod.outlook.com'.",
      '[Server=AM6PR06MB5795,RequestId=743c1f34-d44f-96cd-be48-d1e62eca1517,TimeStamp=Tue, 28 Mar 2023 13:54:33 GMT]',
    ),
    'permanent',
    'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
  ],
  [
    // shape of #129; the text unverified
    'permission',
    online('Ex8E1B0D|System.UnauthorizedAccessException|Access is denied: the operation timed out waiting for a role assignment.', '[Server=AM6PR06MB5795,RequestId=0b0e0c4a-1f1e-4c44-9c6a-2b5d8c7d9e01,TimeStamp=Tue, 28 Mar 2023 13:55:04 GMT]'),
    'permanent',
    'System.UnauthorizedAccessException',
  ],
  [
    // shape of #129; the text unverified
    'parameter binding',
    online("Ex2C4D9A|System.Management.Automation.ParameterBindingException|A parameter cannot be found that matches parameter name 'Throttled'.", '[Server=AM6PR06MB5795,RequestId=1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f,TimeStamp=Tue, 28 Mar 2023 13:55:04 GMT]'),
    'permanent',
    'System.Management.Automation.ParameterBindingException',
  ],
  [
    // shape of #129; the text unverified
    'server busy',
    online('Ex5A1C2B|Microsoft.Exchange.Data.Storage.TransientException|The server is busy. Try again later.', '[Server=AM6PR06MB5795,RequestId=2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a,TimeStamp=Tue, 28 Mar 2023 13:55:04 GMT]'),
    'transient',
    'Microsoft.Exchange.Data.Storage.TransientException',
  ],
  [
    // shape of #129; the text unverified
    'HTTP 429',
    online('Ex7B3E1F|System.Net.WebException|The remote server returned an error: (429) Too Many Requests.', '[Server=AM6PR06MB5795,RequestId=3e4f5a6b-7c8d-4e9f-0a1b-2c3d4e5f6a7b,TimeStamp=Tue, 28 Mar 2023 13:55:04 GMT]'),
    'transient',
    'System.Net.WebException',
  ],
  [
    // "WARNING: Micro delay applied" is throttling by design (docs/exchange-facts.md); the text unverified
    'micro delay',
    online('Ex9C0D4E|Microsoft.Exchange.Configuration.Tasks.TaskException|Micro delay applied. The actual delay was longer than the configured limit.', '[Server=AM6PR06MB5795,RequestId=4f5a6b7c-8d9e-4f0a-1b2c-3d4e5f6a7b8c,TimeStamp=Tue, 28 Mar 2023 13:55:04 GMT]'),
    'transient',
    'Microsoft.Exchange.Configuration.Tasks.TaskException',
  ],
  [
    // shape of #129; the text unverified
    'token expiry',
    online('Ex1D2E3F|System.UnauthorizedAccessException|UnAuthorized: the access token has expired. Please connect again.', '[Server=AM6PR06MB5795,RequestId=5a6b7c8d-9e0f-4a1b-2c3d-4e5f6a7b8c9d,TimeStamp=Tue, 28 Mar 2023 13:55:04 GMT]'),
    'reconnect',
    'System.UnauthorizedAccessException',
  ],
];

describe('Exchange Online errors, as Write-ErrorMessage raises them', () => {
  it.each(CASES)('%s', (_name, info, disposition, type) => {
    expect(classifyError(info)).toBe(disposition);
    const shown = unwrapExchangeError(info);
    expect(shown.type).toBe(type);
    expect(shown.message).toBe(info.message.split('|').slice(2).join('|'));
    expect(shown.fullyQualifiedErrorId).toBe(info.fullyQualifiedErrorId);
  });

  it('a message with empty code and type (DLConversionV2 #188) keeps the text and leaves the type to the host', () => {
    // published: https://github.com/timmcmic/DLConversionV2/issues/188
    const info = online(
      "||The operation couldn't be performed because object '5cd669df-4f73-45b2-b568-2507ed8c8d05' couldn't be found on 'AS8PR07A15DC002.EURPR07A015.PROD.OUTLOOK.COM'.",
      '[Server=AM6PR07MB5012,RequestId=6b6b4e1e-4dc2-3b7d-1ca9-8541d4bdd3ed,TimeStamp=Tue, 17 Jun 2025 14:52:40 GMT]',
    );
    expect(unwrapExchangeError(info)).toMatchObject({ type: WRAPPER, message: info.message.slice(2) });
  });

  it('a message that is not in that shape is left alone', () => {
    const info = online('The remote server returned an error: (429) Too Many Requests.', '[Server=X]');
    expect(unwrapExchangeError(info)).toEqual(info);
    expect(classifyError(info)).toBe('transient');
  });
});
