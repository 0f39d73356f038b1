/**
 * Validates SARIF against the SARIF 2.1.0 JSON schema that @microsoft/jest-sarif ships
 * (sarif-2.1.0-rtm.5, JSON Schema draft-04, hence ajv-draft-04), with formats checked.
 */
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as Record<string, unknown>;

let validate: ReturnType<Ajv['compile']> | undefined;

/** Problems with the log as `instancePath message` lines; empty when it is valid SARIF 2.1.0. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!validate) {
    // The schema predates ajv's strict mode, and one language-tag pattern is not valid with the `u` flag.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
