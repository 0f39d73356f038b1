/** Pulumi.yaml declares exactly the stack config keys the providers and the program read. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALL_TIMEOUT_SECONDS } from '../../src/exchange/call-timeout';
import { CONFIG_KEYS } from '../../providers/settings';
import { DEFAULT_MAX_CONCURRENCY } from '../../src/reconcile/max-concurrency';

const project = load(fs.readFileSync(path.resolve(__dirname, '../../Pulumi.yaml'), 'utf8')) as { config: Record<string, { type: string; default?: unknown }> };

describe('Pulumi.yaml config declarations', () => {
  it('declare every key of CONFIG_KEYS and no other', () => {
    expect(Object.keys(project.config).sort()).toEqual(Object.values(CONFIG_KEYS).sort());
  });

  it('declare callTimeoutSeconds as an integer whose default is the code’s', () => {
    expect(project.config.callTimeoutSeconds).toMatchObject({ type: 'integer', default: DEFAULT_CALL_TIMEOUT_SECONDS });
  });

  it('declare maxConcurrency as an integer whose default is the code’s', () => {
    expect(project.config.maxConcurrency).toMatchObject({ type: 'integer', default: DEFAULT_MAX_CONCURRENCY });
  });
});
