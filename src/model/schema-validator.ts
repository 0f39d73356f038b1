/**
 * Structural validation against schema/mailpolicy.schema.json through code generated from it
 * at development time (scripts/compile-schema.ts): start-up loads neither ajv nor the schema.
 */
import generated from './schema-validator.generated';

/** The parts of an ajv error object the loader reads. */
export interface SchemaError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
}

interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

const validator = generated as unknown as GeneratedValidator;

/** Every schema error of a document (ajv allErrors); empty when the document conforms. */
export function schemaErrors(data: unknown): readonly SchemaError[] {
  return validator(data) ? [] : [...(validator.errors ?? [])];
}
