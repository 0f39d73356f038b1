import { describe, expect, it } from 'vitest';
import { cloudOfConnectionUri, connectionUriOfCloud } from '../../src/model/clouds';
import { CLOUDS } from '../../src/model/types';

describe('cloud ↔ Get-ConnectionInformation ConnectionUri: one table, both ways', () => {
  it('maps the endpoint the simulator reports for each cloud back to that cloud', () => {
    for (const cloud of CLOUDS) expect(cloudOfConnectionUri(connectionUriOfCloud(cloud), cloud)).toBe(cloud);
  });

  it('tells GCC from worldwide only by the configured cloud, and knows DoD by either host', () => {
    expect(cloudOfConnectionUri('https://outlook.office365.com', undefined)).toBe('worldwide');
    expect(cloudOfConnectionUri('https://outlook.office365.com', 'gcc')).toBe('gcc');
    // A GCC High endpoint is GCC High whatever was configured: the connection guard relies on it.
    expect(cloudOfConnectionUri('https://outlook.office365.us/adminapi/beta', 'worldwide')).toBe('gccHigh');
    expect(cloudOfConnectionUri('https://outlook-dod.office365.us', undefined)).toBe('dod');
    expect(cloudOfConnectionUri('HTTPS://WEBMAIL.APPS.MIL', 'gccHigh')).toBe('dod');
    expect(cloudOfConnectionUri('https://partner.outlook.cn', undefined)).toBe('china21Vianet');
    expect(cloudOfConnectionUri('', 'gcc')).toBe('gcc');
    expect(cloudOfConnectionUri('', 'dod')).toBe('worldwide');
  });
});
