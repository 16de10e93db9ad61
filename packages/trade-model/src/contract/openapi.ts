import { IDEMPOTENCY_KEY_PATTERN } from '../http/idempotency';
import type { RouteDefinition } from '../http/route';
import { ErrorBodySchema } from '../schemas/api';
import { documentedJsonSchema } from '../schemas/json-schema';
import * as z from '../zod';
import { ROUTES } from './all-routes';

type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.core.$ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    // the rule as the code enforces it, where zod's own rendering would leave it out (see documentedAs)
    override: ({ zodSchema, jsonSchema: rendered }) => {
      const stated = io === 'input' ? documentedJsonSchema(zodSchema) : undefined;
      if (stated === undefined) return;
      if (!stated.merge) for (const key of Object.keys(rendered)) delete (rendered as JsonSchema)[key];
      Object.assign(rendered, structuredClone(stated.fragment));
    },
  }) as JsonSchema;
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
      schema: { type: 'string', minLength: 1, maxLength: 128, pattern: IDEMPOTENCY_KEY_PATTERN.source },
    });
  }
  const success =
    route.response === undefined
      ? { description: route.successStatus === 204 ? 'No content' : 'OK' }
      : {
          description: 'OK',
          content: {
            'application/json': { schema: jsonSchema(route.response, 'output') },
            ...Object.fromEntries(
              Object.entries(route.downloads ?? {}).map(([type, schema]) => [type, { schema }]),
            ),
          },
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
  if (route.errorResponses?.[404] !== undefined)
    responses['404'] = errorResponse(`NOT_FOUND: ${route.errorResponses[404]}`);
  const conflicts = [
    ...(route.idempotent
      ? ['Idempotency-Key reused with another body, or its first request still running']
      : []),
    ...(route.errorResponses?.[409] === undefined ? [] : [route.errorResponses[409]]),
  ];
  if (conflicts.length > 0) responses['409'] = errorResponse(`CONFLICT: ${conflicts.join('; ')}`);
  if (route.errorResponses?.[413] !== undefined)
    responses['413'] = errorResponse(`PAYLOAD_TOO_LARGE: ${route.errorResponses[413]}`);
  if (route.errorResponses?.[422] !== undefined)
    responses['422'] = errorResponse(`UNPROCESSABLE: ${route.errorResponses[422]}`);
  responses['429'] = {
    description: 'Throttled by API Gateway (stage or account rate limit): retry with backoff',
    content: {
      'application/json': {
        schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
      },
    },
  };
  // every authenticated operation touches storage, whose retries are bounded (see retry.ts)
  if (route.auth) {
    responses['503'] = errorResponse(
      'SERVICE_UNAVAILABLE: storage stayed busy after bounded retries; retry after `Retry-After` seconds ' +
        '(with the same Idempotency-Key where the operation takes one)',
    );
  }
  for (const [status, other] of Object.entries(route.otherResponses ?? {})) {
    responses[status] =
      other.schema === undefined
        ? { description: other.description }
        : {
            description: other.description,
            content: { 'application/json': { schema: jsonSchema(other.schema, 'output') } },
          };
  }
  responses['500'] = errorResponse('INTERNAL: generic message, nothing internal disclosed');
  return {
    operationId: route.operationId,
    summary: route.summary,
    // a rule across query parameters (e.g. a date range) has no place in one parameter: the operation states it
    description: [
      route.description ?? `${route.summary}.`,
      ...(route.query === undefined ? [] : [jsonSchema(route.query, 'input').description]),
    ]
      .filter((part): part is string => typeof part === 'string')
      .join(' '),
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

const TAG_DESCRIPTIONS: Record<string, string> = {
  Platform: 'Liveness and this document (no token needed)',
  Portfolios: "The caller's portfolios, base currency, lot method and commission schedule",
  Trades: 'Book, list, amend and cancel trades of every asset class, with a full version audit',
};

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
    info: {
      title: 'Kupala API',
      version: '0.1.0',
      description: DESCRIPTION,
      license: { name: 'Proprietary', url: 'https://kupala.invalid/license' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployed stage: the shared API Gateway HTTP API',
        variables: {
          apiId: { default: 'api-id', description: 'The HTTP API id (trades stack output)' },
          region: { default: 'eu-west-1', description: 'The AWS region of the stage' },
        },
      },
      { url: 'http://127.0.0.1:4000', description: 'The local platform (`pnpm dev`)' },
    ],
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({
      name,
      description: TAG_DESCRIPTIONS[name] ?? `${name} operations`,
    })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { ErrorBody: jsonSchema(ErrorBodySchema, 'output') },
    },
  };
};
