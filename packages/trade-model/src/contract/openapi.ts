import type { RouteDefinition } from '../http/route';
import { ErrorBodySchema } from '../schemas/api';
import * as z from '../zod';
import { ROUTES } from './all-routes';

type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
});

const parametersOf = (schema: z.core.$ZodType | undefined, location: 'path' | 'query') => {
  if (schema === undefined) return [];
  const object = jsonSchema(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
};

const operationOf = (route: RouteDefinition) => {
  const parameters = [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')];
  if (route.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header' as 'query',
      required: false,
      schema: { type: 'string', minLength: 1, maxLength: 128 },
    });
  }
  const success =
    route.response === undefined
      ? { description: route.successStatus === 204 ? 'No content' : 'OK' }
      : {
          description: 'OK',
          content: { 'application/json': { schema: jsonSchema(route.response, 'output') } },
        };
  const responses: Record<string, unknown> = { [route.successStatus]: success };
  if (route.params !== undefined || route.query !== undefined || route.body !== undefined) {
    responses['400'] = errorResponse('VALIDATION_FAILED: details list each invalid field by path');
  }
  if (route.auth) responses['401'] = errorResponse('UNAUTHORIZED: missing, invalid or expired token');
  if (route.params !== undefined)
    responses['404'] = errorResponse("NOT_FOUND: does not exist or is another user's");
  if (route.body !== undefined) {
    responses['413'] = errorResponse('PAYLOAD_TOO_LARGE');
    responses['415'] = errorResponse('UNSUPPORTED_MEDIA_TYPE: send application/json');
  }
  if (route.idempotent)
    responses['409'] = errorResponse('CONFLICT: Idempotency-Key reused with another body');
  for (const [status, text] of Object.entries(route.extraErrors ?? {}))
    responses[status] = errorResponse(text);
  responses['500'] = errorResponse('INTERNAL: generic message, nothing internal disclosed');
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [route.tag],
    security: route.auth ? [{ bearerAuth: [] }] : [],
    parameters,
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
          },
        }),
    responses,
  };
};

const DESCRIPTION = [
  'Kupala: cross-asset trades, live positions and P&L, history, performance and an AutoML lab.',
  'Conventions: JSON in and out; decimals travel as strings ("1234.5600"), dates as YYYY-MM-DD, timestamps as',
  'ISO-8601 UTC, currencies as ISO-4217 codes. Unknown fields are rejected. Lists take `limit` (1-500, default',
  '50) and an opaque `cursor`, and answer `{"items":[…],"nextCursor":…|null}`. Errors answer',
  '`{"error":{"code","message","details"?}}`; a detail `path` is the body field path (e.g. `instrument.symbol`),',
  "or `path.<name>` / `query.<name>` for path and query parameters. Another user's resource answers 404.",
].join(' ');

/** The OpenAPI 3.1 document of every route in the contract. */
export const buildOpenApiDocument = (routes: readonly RouteDefinition[] = ROUTES) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    const entry = paths[route.path];
    if (entry !== undefined) entry[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Kupala API', version: '0.1.0', description: DESCRIPTION },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ErrorBody: jsonSchema(ErrorBodySchema, 'output') },
    },
  };
};
