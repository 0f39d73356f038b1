import { describe, expect, it } from 'vitest';
import { certificateCoversHost, formatConnectionSetting, parseBinding, parseConnectionSetting } from '../../src/model/connection-setting';
import { closestMatch, editDistance } from '../../src/model/did-you-mean';
import { checkTimeout, formatTimeSpan, parseTimeSpan } from '../../src/model/timespan';

describe('connection settings', () => {
  it('parses host:port with and without encryption, and prints them back the same', () => {
    for (const entry of ['mail.contoso.com:995:SSL', 'mail.contoso.com:110:TLS', 'mail.contoso.com:110', '10.0.0.5:143']) {
      const parsed = parseConnectionSetting(entry);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(formatConnectionSetting(parsed.value)).toBe(entry);
    }
    expect(parseConnectionSetting('mail.contoso.com:995:SSL')).toEqual({ ok: true, value: { host: 'mail.contoso.com', port: 995, encryption: 'SSL' } });
  });

  it.each([
    ['mail.contoso.com:110:', '"mail.contoso.com:110:" ends with an empty encryption part: write "mail.contoso.com:110" for unencrypted, or end it with :SSL or :TLS'],
    ['mail.contoso.com:0', '"mail.contoso.com:0": port 0 is outside 1-65535'],
    ['mail.contoso.com:65536:SSL', '"mail.contoso.com:65536:SSL": port 65536 is outside 1-65535'],
    ['mail.contoso.com:pop', '"mail.contoso.com:pop": port "pop" is not a number'],
    ['mail.contoso.com:995:STARTTLS', '"mail.contoso.com:995:STARTTLS": encryption must be SSL or TLS, not "STARTTLS"'],
    ['mail.contoso.com:995:Tls', '"mail.contoso.com:995:Tls": write the encryption in capitals: "mail.contoso.com:995:TLS"'],
    ['mail.contoso.com', '"mail.contoso.com" is not host:port, host:port:SSL or host:port:TLS (e.g. mail.contoso.com:995:SSL)'],
    ['a:1:SSL:x', '"a:1:SSL:x" is not host:port, host:port:SSL or host:port:TLS (e.g. mail.contoso.com:995:SSL)'],
    ['-mail.contoso.com:995', '"-mail.contoso.com:995": "-mail.contoso.com" is not a host name'],
  ])('rejects %s', (entry, error) => {
    expect(parseConnectionSetting(entry)).toEqual({ ok: false, error });
  });

  it('parses IPv4 and bracketed IPv6 bindings', () => {
    expect(parseBinding('[::]:995')).toEqual({ ok: true, value: { address: '[::]', port: 995 } });
    expect(parseBinding('0.0.0.0:110')).toEqual({ ok: true, value: { address: '0.0.0.0', port: 110 } });
    expect(parseBinding('::995')).toEqual({ ok: false, error: '"::995" is not IP:port (e.g. 0.0.0.0:995, or [::]:995 for IPv6)' });
    expect(parseBinding('0.0.0.0:70000')).toEqual({ ok: false, error: '"0.0.0.0:70000": port 70000 is outside 1-65535' });
  });

  it('matches certificate names exactly or by a one-label wildcard, case-insensitively', () => {
    expect(certificateCoversHost('mail.contoso.com', 'MAIL.contoso.com')).toBe(true);
    expect(certificateCoversHost('*.contoso.com', 'mail.contoso.com')).toBe(true);
    expect(certificateCoversHost('*.contoso.com', 'a.mail.contoso.com')).toBe(false);
    expect(certificateCoversHost('*.contoso.com', 'contoso.com')).toBe(false);
    expect(certificateCoversHost('pop.contoso.com', 'mail.contoso.com')).toBe(false);
  });
});

describe('time spans', () => {
  it('parses hh:mm:ss and d.hh:mm:ss', () => {
    expect(parseTimeSpan('00:30:00')).toEqual({ ok: true, seconds: 1800 });
    expect(parseTimeSpan('1.02:03:04')).toEqual({ ok: true, seconds: 86400 + 7384 });
    expect(parseTimeSpan('24:00:00')).toEqual({ ok: false, error: '"24:00:00" is not a time span: hours go to 23, minutes and seconds to 59' });
    expect(parseTimeSpan('30m')).toEqual({ ok: false, error: '"30m" is not a time span hh:mm:ss or d.hh:mm:ss' });
  });

  it('prints the form Exchange prints', () => {
    expect(formatTimeSpan(30)).toBe('00:00:30');
    expect(formatTimeSpan(3600)).toBe('01:00:00');
    expect(formatTimeSpan(90061)).toBe('1.01:01:01');
  });

  it('accepts timeouts from 00:00:30 to 01:00:00 inclusive', () => {
    expect(checkTimeout('0:00:30')).toEqual({ ok: true, normalised: '00:00:30' });
    expect(checkTimeout('0.01:00:00')).toEqual({ ok: true, normalised: '01:00:00' });
    expect(checkTimeout('00:00:29')).toEqual({ ok: false, error: '00:00:29 is outside the allowed range 00:00:30 to 01:00:00' });
    expect(checkTimeout('01:00:01')).toEqual({ ok: false, error: '01:00:01 is outside the allowed range 00:00:30 to 01:00:00' });
  });
});

describe('did you mean', () => {
  it('measures edit distance case-insensitively', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('TLS', 'tls')).toBe(0);
  });

  it('suggests the closest key for typos and abbreviations, nothing for unrelated words', () => {
    const keys = ['allowLegacyTLSClients', 'smtpClientAuthenticationDisabled'];
    expect(closestMatch('allowLegacyTlsClient', keys)).toBe('allowLegacyTLSClients');
    expect(closestMatch('smtpClientAuthDisabled', keys)).toBe('smtpClientAuthenticationDisabled');
    expect(closestMatch('Auto', ['Automatic', 'Manual', 'Disabled'])).toBe('Automatic');
    expect(closestMatch('owner', ['name', 'description'])).toBeUndefined();
  });
});
