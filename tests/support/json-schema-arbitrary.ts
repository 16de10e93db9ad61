import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schemas of the served OpenAPI document: values the document says are
 * valid, and values it says are not. One generator for the OpenAPI-driven property test and the per-route
 * fuzzing (arbitrary JSON, huge strings, deep nesting, prototype keys, owner fields).
 */
export type JsonSchema = Record<string, unknown>;

// generated sizes stay small: the point is shape coverage, not volume (huge values come from `hostileJson`)
const MAX_GENERATED_STRING = 40;
const MAX_GENERATED_ITEMS = 3;

const asSchemas = (value: unknown): JsonSchema[] => (Array.isArray(value) ? (value as JsonSchema[]) : []);

/** A string the document allows: its pattern (lookaheads checked, not generated), then its length bounds. */
const stringOf = (schema: JsonSchema): fc.Arbitrary<string> => {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const length = (value: string) => [...value].length;
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    const generable = new RegExp(schema.pattern.replace(/\(\?[=!][^)]*\)/g, ''));
    return fc
      .stringMatching(generable)
      .filter((value) => pattern.test(value) && length(value) >= minLength && length(value) <= maxLength);
  }
  return fc.string({
    minLength,
    maxLength: Math.max(minLength, Math.min(maxLength, MAX_GENERATED_STRING)),
    unit: 'grapheme',
  });
};

const numberOf = (schema: JsonSchema, integer: boolean): fc.Arbitrary<number> => {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000_000;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
  const exclusiveMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const base = integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return exclusiveMin === undefined ? base : base.filter((value) => value > exclusiveMin);
};

/** Values valid under `schema` (the subset of JSON Schema that zod's toJSONSchema and our overrides emit). */
export const validValue = (schema: JsonSchema, root: JsonSchema = schema): fc.Arbitrary<unknown> => {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as JsonSchema | undefined)?.[key], root) as JsonSchema;
    return fc.constant(undefined).chain(() => validValue(target, root));
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const choices = [...asSchemas(schema.anyOf), ...asSchemas(schema.oneOf)];
  if (choices.length > 0) return fc.oneof(...choices.map((choice) => validValue(choice, root)));
  if (Array.isArray(schema.allOf)) {
    const merged = Object.assign({}, ...asSchemas(schema.allOf), {
      ...schema,
      allOf: undefined,
    }) as JsonSchema;
    delete merged.allOf;
    return validValue(merged, root);
  }
  const type = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  const arbitraries = type.map((kind): fc.Arbitrary<unknown> => {
    switch (kind) {
      case 'string':
        return stringOf(schema);
      case 'integer':
        return numberOf(schema, true);
      case 'number':
        return numberOf(schema, false);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
        const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : MAX_GENERATED_ITEMS;
        return fc.array(validValue((schema.items as JsonSchema | undefined) ?? {}, root), {
          minLength: minItems,
          maxLength: Math.max(minItems, Math.min(maxItems, MAX_GENERATED_ITEMS)),
        });
      }
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
        const required = new Set((schema.required ?? []) as string[]);
        const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
        const maxProperties = typeof schema.maxProperties === 'number' ? schema.maxProperties : undefined;
        const record = fc.record(
          Object.fromEntries(
            Object.entries(properties).map(([name, item]) => [name, validValue(item, root)]),
          ),
          { requiredKeys: [...required].filter((name) => name in properties) },
        );
        const extra = schema.additionalProperties;
        if (typeof extra === 'object' && extra !== null) {
          // a map (z.record): keys from `propertyNames`, values from `additionalProperties`, sized by
          // min/maxProperties, built to size rather than filtered (a filter on size never succeeds for a
          // map whose fixed properties are empty)
          const keys = validValue(
            { type: 'string', ...((schema.propertyNames ?? {}) as JsonSchema) },
            root,
          ).filter((key): key is string => typeof key === 'string' && !(key in properties));
          const maxKeys = Math.max(
            minProperties,
            Math.min(maxProperties ?? MAX_GENERATED_ITEMS, MAX_GENERATED_ITEMS),
          );
          return fc
            .tuple(
              record,
              fc.dictionary(keys, validValue(extra as JsonSchema, root), { minKeys: minProperties, maxKeys }),
            )
            .map(([fixed, map]) => ({ ...map, ...fixed }))
            .filter(
              (value) =>
                Object.keys(value).length >= minProperties &&
                (maxProperties === undefined || Object.keys(value).length <= maxProperties),
            );
        }
        return record.filter((value) => Object.keys(value).length >= minProperties);
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  });
  return arbitraries.length === 1 ? (arbitraries[0] as fc.Arbitrary<unknown>) : fc.oneof(...arbitraries);
};

/** JSON an attacker sends: any shape, huge strings, deep nesting, prototype keys, owner fields. */
export const hostileJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.constantFrom(0, false, 0.0, '', 'abc', null, [], true, -1, 1e308),
    fc.nat({ max: 100_000 }).map((length) => 'x'.repeat(length + 70_000)),
    fc.integer({ min: 50, max: 3000 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
    fc
      .integer({ min: 50, max: 3000 })
      .map((depth) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
    fc.constantFrom(
      JSON.parse('{"__proto__":{"admin":true}}'),
      { constructor: { prototype: { polluted: true } } },
      { prototype: 1, toString: 'x', hasOwnProperty: 'y' },
    ),
  );

/** Keys that would let a caller claim another owner or key if a handler trusted the body. */
export const OWNER_FIELDS = ['owner', 'userId', 'sub', 'pk', 'sk', 'gsi1pk', '__proto__', 'constructor'];

const isStrictObject = (schema: JsonSchema) =>
  schema.type === 'object' && schema.additionalProperties === false;

/**
 * A value the schema certainly refuses, made from a valid one: an unknown or owner field, a missing required
 * field, a wrong type, a broken pattern or bound, at the top or inside one field. Undefined when the schema
 * allows anything (nothing can be certainly invalid).
 */
export const invalidValue = (
  schema: JsonSchema,
  root: JsonSchema = schema,
): fc.Arbitrary<unknown> | undefined => {
  const candidates: fc.Arbitrary<unknown>[] = [];
  const branches = [...asSchemas(schema.anyOf), ...asSchemas(schema.oneOf)];
  if (branches.length > 0 && branches.every(isStrictObject)) {
    // a discriminated union of strict objects: breaking the chosen branch breaks them all
    const broken = branches.map((branch) => invalidValue(branch, root)).filter((item) => item !== undefined);
    if (broken.length > 0) candidates.push(fc.oneof(...broken));
    candidates.push(fc.constantFrom<unknown>('a string', 12345, null, []));
  }
  if (isStrictObject(schema)) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    candidates.push(
      fc
        .tuple(validValue(schema, root), fc.constantFrom(...OWNER_FIELDS), fc.jsonValue({ maxDepth: 1 }))
        .map(([value, key, extra]) => {
          const copy = { ...(value as object) } as Record<string, unknown>;
          Object.defineProperty(copy, key, { value: extra ?? 'x', enumerable: true, configurable: true });
          return copy;
        }),
    );
    const required = ((schema.required ?? []) as string[]).filter((name) => name in properties);
    if (required.length > 0)
      candidates.push(
        fc.tuple(validValue(schema, root), fc.constantFrom(...required)).map(([value, key]) => {
          const copy = { ...(value as object) } as Record<string, unknown>;
          delete copy[key];
          return copy;
        }),
      );
    const breakable = Object.entries(properties)
      .map(([name, item]) => [name, invalidValue(item, root)] as const)
      .filter((entry): entry is readonly [string, fc.Arbitrary<unknown>] => entry[1] !== undefined);
    for (const [name, broken] of breakable)
      candidates.push(
        fc
          .tuple(validValue(schema, root), broken)
          .map(([value, field]) => ({ ...(value as object), [name]: field })),
      );
    candidates.push(fc.constantFrom<unknown>('a string', 12345, null, [], true));
  }
  if (schema.type === 'string' && branches.length === 0) {
    const broken: string[] = ['', '\u0000', ' ', 'a b', '-1', '2026-02-30', 'usd'];
    if (typeof schema.maxLength === 'number') broken.push('9'.repeat(schema.maxLength + 1));
    const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
    const refused = broken.filter((value) => {
      const length = [...value].length;
      const tooLong = typeof schema.maxLength === 'number' && length > schema.maxLength;
      const tooShort = typeof schema.minLength === 'number' && length < schema.minLength;
      const notListed = Array.isArray(schema.enum) && !schema.enum.includes(value);
      return tooLong || tooShort || notListed || (pattern !== undefined && !pattern.test(value));
    });
    if (refused.length > 0) candidates.push(fc.constantFrom(...refused));
    candidates.push(fc.constantFrom<unknown>(12345, true, null, [], {}));
  }
  if ((schema.type === 'integer' || schema.type === 'number') && branches.length === 0)
    candidates.push(fc.constantFrom<unknown>('12', true, null, [], {}));
  if (schema.type === 'boolean') candidates.push(fc.constantFrom<unknown>('true', 1, null, [], {}));
  if (schema.type === 'array' && branches.length === 0)
    candidates.push(fc.constantFrom<unknown>('x', 1, null, {}));
  return candidates.length === 0 ? undefined : fc.oneof(...candidates);
};
