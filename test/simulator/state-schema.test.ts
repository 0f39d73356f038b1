import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/exchange/catalog';
import { SimulatorBackend } from '../../src/simulator/backend';
import { newOrganisation } from '../../src/simulator/defaults';
import { serialiseState } from '../../src/simulator/state';
import { parseState } from '../../src/simulator/validate-state';
import { writeOrg } from './helpers';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'simulator-state.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

describe('schema/simulator-state.schema.json', () => {
  it('describes every state the simulator writes', async () => {
    for (const cloud of ['worldwide', 'gcc', 'gccHigh', 'dod', 'china21Vianet'] as const) {
      const state = JSON.parse(serialiseState(newOrganisation({ platform: 'exchangeOnline', cloud, mailboxes: 3 })));
      expect(validate(state), JSON.stringify(validate.errors)).toBe(true);
    }
    const path = writeOrg({ platform: 'exchangeServer', servers: ['EX01', 'EX02'], mailboxes: 2 }, (s) => {
      s.faults = [{ kind: 'transient', cmdlet: 'Get-Service', call: 2, times: 3, message: 'busy' }];
      s.latency = { perCallMs: 1, perItemMicros: 2 };
    });
    const b = new SimulatorBackend({ statePath: path });
    await b.invoke(buildRequest('Set-PopSettings', { server: 'EX02', loginType: 'PlainTextLogin', sslBindings: ['0.0.0.0:995'] }));
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false }));
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects what the loader rejects', () => {
    const good = JSON.parse(serialiseState(newOrganisation({ platform: 'exchangeOnline', mailboxes: 1 })));
    const bad = [
      { ...good, version: 2 },
      { ...good, organization: { platform: 'exchangeOnline', name: 'x' } },
      { ...good, mailboxes: [['a', 'b', 'c', true, 'yes', null]] },
      { ...good, faults: [{ kind: 'meteor' }] },
    ];
    for (const state of bad) {
      expect(validate(state)).toBe(false);
      expect(() => parseState(JSON.stringify(state), 'state.json')).toThrow(/state\.json: \//);
    }
  });
});
