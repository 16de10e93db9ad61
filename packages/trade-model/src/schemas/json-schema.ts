/** A JSON Schema fragment, as the OpenAPI document shows it. */
export type JsonSchemaFragment = Record<string, unknown>;

const documented = new WeakMap<object, JsonSchemaFragment>();

/**
 * States in the OpenAPI document what a schema really accepts where zod's own JSON Schema cannot say it: a rule
 * written as a refinement (an ISO currency, a real calendar date, a decimal > 0), a length in characters rather
 * than UTF-16 units, an integer carried in a query string. Tests prove each fragment accepts exactly what the
 * schema accepts (primitives.test.ts, and the OpenAPI-driven property test over every operation).
 */
export const documentedAs = <T extends object>(schema: T, jsonSchema: JsonSchemaFragment): T => {
  documented.set(schema, jsonSchema);
  return schema;
};

/** The stated JSON Schema of a schema, when it has one. */
export const documentedJsonSchema = (schema: object): JsonSchemaFragment | undefined =>
  documented.get(schema);
