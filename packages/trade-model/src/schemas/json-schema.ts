/** A JSON Schema fragment, as the OpenAPI document shows it. */
export type JsonSchemaFragment = Record<string, unknown>;

const documented = new WeakMap<object, { fragment: JsonSchemaFragment; merge: boolean }>();

/**
 * States in the OpenAPI document what a schema really accepts where zod's own JSON Schema cannot say it: a rule
 * written as a refinement (an ISO currency, a real calendar date, a decimal > 0), a length in characters rather
 * than UTF-16 units, an integer carried in a query string. Tests prove each fragment accepts exactly what the
 * schema accepts (primitives.test.ts, and the OpenAPI-driven property test over every operation).
 */
export const documentedAs = <T extends object>(schema: T, jsonSchema: JsonSchemaFragment): T => {
  documented.set(schema, { fragment: jsonSchema, merge: false });
  return schema;
};

/**
 * Adds to zod's own rendering: e.g. a `description` stating a rule across fields with the very message its
 * check answers, so that a refusal always names a rule the document states.
 */
export const documentedWith = <T extends object>(schema: T, jsonSchema: JsonSchemaFragment): T => {
  documented.set(schema, { fragment: jsonSchema, merge: true });
  return schema;
};

/** The stated JSON Schema of a schema, when it has one: replacing zod's rendering, or merged into it. */
export const documentedJsonSchema = (
  schema: object,
): { fragment: JsonSchemaFragment; merge: boolean } | undefined => documented.get(schema);
