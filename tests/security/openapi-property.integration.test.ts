import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { tokenFor } from '@kupala/local-stack';
import fc from 'fast-check';
import { compiledRouteCaller, type RouteAnswer } from '../support/compiled-handlers';
import { hostileJson, invalidValue, type JsonSchema, validValue } from '../support/json-schema-arbitrary';

/**
 * Driven by the served document itself (GET /openapi.json through its handler): for every operation, requests
 * generated from its schemas go through the compiled handlers against DynamoDB Local. Valid requests are never
 * refused for a reason the document does not state; invalid ones get a 4xx; nothing answers 5xx or shows an
 * internal; requests refused as invalid write nothing.
 */
const { routes, call } = compiledRouteCaller();
const RUNS_PER_OPERATION = Number(process.env.KUPALA_OPENAPI_RUNS ?? 15);

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}
interface Operation {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, unknown>;
  security: unknown[];
}
interface GeneratedRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

// what a response must never show: stack frames, AWS names, our tables and internals
const INTERNALS =
  /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|arn:aws|kupala-test-|Exception\b|DynamoDB|TypeError|ReferenceError/;

const wire = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Specifics (quoted values, parentheses, numbers) left out, so a rule reads the same in a message and in the document. */
const rule = (text: string) =>
  text
    // quoted input first (JSON-escaped quotes included): it may hold parentheses of its own
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\d+/g, '#')
    .trim();

/** Every description in an operation (its own, its parameters', its body schema's at any depth). */
const descriptionsOf = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(descriptionsOf);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'description' && typeof value === 'string' ? [rule(value)] : descriptionsOf(value),
  );
};

/**
 * A 400 detail names a rule the document states when its message is in a description, or when the document
 * says that field's content is checked beyond its schema ("details at `content`").
 */
const stated = (documentText: string, detail: { path: string; message: string }): boolean => {
  if (detail.path !== '' && documentText.includes(`details at \`${detail.path}\``)) return true;
  const general = rule(detail.message);
  return general.length > 0 && documentText.includes(general);
};

let document: { paths: Record<string, Record<string, Operation>> };
let tester: string;
let intruder: string;
let intruderSub: string;
const fixtureIds: Record<string, string[]> = {};

beforeAll(async () => {
  const served = await call('GET /openapi.json', undefined);
  expect(served.status).toBe(200);
  document = served.body as typeof document;
  tester = await tokenFor(`prop-${Date.now()}`);
  intruderSub = `prop-invalid-${Date.now()}`;
  intruder = await tokenFor(intruderSub);
  // real ids for part of the valid requests, so that they reach past the 404 into the handlers' own logic
  const portfolio = await call('POST /portfolios', tester, { body: { name: 'Prop', baseCurrency: 'USD' } });
  const portfolioId = (portfolio.body as { portfolioId: string }).portfolioId;
  const trade = await call('POST /portfolios/{portfolioId}/trades', tester, {
    params: { portfolioId },
    body: { type: 'DEPOSIT', amount: '1000', currency: 'USD', tradeDate: '2026-01-02' },
  });
  fixtureIds.portfolioId = [portfolioId];
  fixtureIds.tradeId = [(trade.body as { tradeId: string }).tradeId];
  fixtureIds.symbol = ['PROPX'];
}, 60_000);

const operations = () =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );

const paramValue = (parameter: Parameter): fc.Arbitrary<string> => {
  const generated = validValue(parameter.schema).map(String);
  const known = fixtureIds[parameter.name];
  return known === undefined ? generated : fc.oneof(fc.constantFrom(...known), generated);
};

const validRequest = (operation: Operation): fc.Arbitrary<GeneratedRequest> => {
  const path = operation.parameters.filter((parameter) => parameter.in === 'path');
  const query = operation.parameters.filter((parameter) => parameter.in === 'query');
  const bodySchema = operation.requestBody?.content['application/json'].schema;
  return fc.record({
    params: fc.record(Object.fromEntries(path.map((parameter) => [parameter.name, paramValue(parameter)]))),
    query: fc.record(Object.fromEntries(query.map((parameter) => [parameter.name, paramValue(parameter)])), {
      requiredKeys: query.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    }),
    body: bodySchema === undefined ? fc.constant(undefined) : validValue(bodySchema),
  }) as fc.Arbitrary<GeneratedRequest>;
};

/** One thing wrong: a path or query parameter, an unknown query parameter, the body, or its media type. */
const invalidRequest = (operation: Operation): fc.Arbitrary<GeneratedRequest> => {
  const mutations: fc.Arbitrary<GeneratedRequest>[] = [];
  const valid = validRequest(operation);
  for (const parameter of operation.parameters.filter((candidate) => candidate.in !== 'header')) {
    const broken =
      parameter.schema.type === 'integer'
        ? fc.constantFrom('0', '-1', '501', '999', 'abc', '1.5', '')
        : invalidValue(parameter.schema)?.filter((value) => typeof value === 'string' && value !== '');
    if (broken === undefined) continue;
    mutations.push(
      fc
        .tuple(valid, broken)
        .map(([request, value]) =>
          parameter.in === 'path'
            ? { ...request, params: { ...request.params, [parameter.name]: String(value) } }
            : { ...request, query: { ...request.query, [parameter.name]: String(value) } },
        ),
    );
  }
  // unknown query parameters are refused where the operation takes a query (elsewhere they are ignored)
  if (operation.parameters.some((parameter) => parameter.in === 'query'))
    mutations.push(
      valid.map((request) => ({ ...request, query: { ...request.query, owner: 'someone-else' } })),
    );
  const bodySchema = operation.requestBody?.content['application/json'].schema;
  if (bodySchema !== undefined) {
    const brokenBody = invalidValue(bodySchema);
    if (brokenBody !== undefined)
      mutations.push(fc.tuple(valid, brokenBody).map(([request, body]) => ({ ...request, body })));
    mutations.push(fc.tuple(valid, hostileJson()).map(([request, body]) => ({ ...request, body })));
    mutations.push(
      fc
        .tuple(valid, fc.constantFrom('{"a":', 'not json', '\u0000', '{"a":1}}', "{'a':1}"))
        .map(([request, rawBody]) => ({ ...request, body: undefined, rawBody })),
    );
    mutations.push(
      fc
        .tuple(valid, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml'))
        .map(([request, type]) => ({
          ...request,
          rawBody: wire(request.body),
          body: undefined,
          headers: { 'content-type': type },
        })),
    );
  }
  return fc.oneof(...mutations);
};

const send = (key: string, token: string, request: GeneratedRequest): Promise<RouteAnswer> =>
  call(key, token, {
    params: request.params,
    query: request.query,
    ...(request.rawBody === undefined ? { body: request.body } : { rawBody: request.rawBody }),
    ...(request.headers === undefined ? {} : { headers: request.headers }),
  });

/**
 * An answer with its presigned upload form left out: an S3 presigned POST names its bucket (in the URL or the
 * `bucket` field) by design, as any S3 presigned URL does; everything else of the answer is still scanned.
 */
const withoutUploadForm = (text: string): string => {
  if (!text.includes('"uploadUrl"')) return text;
  try {
    const { uploadUrl: _url, uploadFields: _fields, ...rest } = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return text;
  }
};

const expectNoInternals = (key: string, answer: RouteAnswer) => {
  expect({ key, status: answer.status, serverError: answer.status >= 500 }).toMatchObject({
    serverError: false,
  });
  expect({ key, leaked: INTERNALS.exec(withoutUploadForm(answer.text))?.[0] ?? null }).toEqual({
    key,
    leaked: null,
  });
};

describe('the served OpenAPI document, as a property of every operation', () => {
  it('covers every compiled route (the document and the templates list the same operations)', () => {
    const documented = operations()
      .map(({ key }) => key)
      .sort();
    expect(documented).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('valid requests: a documented status, never 5xx, and a 400 only for a rule the document states', async () => {
    for (const { key, operation } of operations()) {
      const documentText = descriptionsOf(operation).join('\n');
      await fc.assert(
        fc.asyncProperty(validRequest(operation), async (request) => {
          const answer = await send(key, tester, request);
          expectNoInternals(key, answer);
          expect({
            key,
            request,
            status: answer.status,
            documented: String(answer.status) in operation.responses,
          }).toMatchObject({
            documented: true,
          });
          if (answer.status === 400) {
            const details = (answer.body as { error: { details?: { path: string; message: string }[] } })
              .error.details ?? [{ path: '', message: '(no details)' }];
            const unstated = details.filter((detail) => !stated(documentText, detail));
            expect({ key, request, unstated }).toEqual({ key, request, unstated: [] });
          }
        }),
        { numRuns: RUNS_PER_OPERATION },
      );
    }
  }, 600_000);

  it('invalid requests: a documented 4xx, never 5xx, no internals, and nothing written', async () => {
    for (const { key, operation } of operations()) {
      if (
        operation.parameters.length === 0 &&
        operation.requestBody === undefined &&
        operation.security.length === 0
      )
        continue;
      await fc.assert(
        fc.asyncProperty(invalidRequest(operation), async (request) => {
          const answer = await send(key, intruder, request);
          expectNoInternals(key, answer);
          expect({ key, request, status: answer.status }).toMatchObject({
            status: expect.any(Number),
          });
          expect({ key, request, clientError: answer.status >= 400 && answer.status < 500 }).toMatchObject({
            clientError: true,
          });
          expect({
            key,
            status: answer.status,
            documented: String(answer.status) in operation.responses,
          }).toMatchObject({
            documented: true,
          });
        }),
        { numRuns: RUNS_PER_OPERATION },
      );
    }
    // every item of every table is keyed by its owner's sub: the refused caller owns nothing anywhere
    const dynamodb = new DynamoDBClient({});
    const tables = Object.entries(process.env)
      .filter(([name, value]) => /_TABLE$/.test(name) && value !== undefined && value !== '')
      .map(([, value]) => value as string);
    expect(tables.length).toBeGreaterThan(0);
    for (const table of [...new Set(tables)]) {
      const scan = await dynamodb.send(new ScanCommand({ TableName: table }));
      const written = (scan.Items ?? []).filter((item: unknown) =>
        JSON.stringify(item).includes(intruderSub),
      );
      expect({ table, written }).toEqual({ table, written: [] });
    }
  }, 600_000);
});
