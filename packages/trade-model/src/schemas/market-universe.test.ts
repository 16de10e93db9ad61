import { buildOpenApiDocument } from '../contract/openapi';
import * as z from '../zod';
import { CreateDatasetRequestSchema } from './market-universe';

const parse = (body: unknown) => z.safeParse(CreateDatasetRequestSchema, body);
const issuesOf = (body: unknown) =>
  (parse(body).error?.issues ?? []).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

describe('the body of POST /datasets, keyed by source', () => {
  it('takes the market universe with symbols as market-data keys them', () => {
    expect(parse({ name: 'U', source: 'market-universe', symbols: ['spy', 'Qqq '] }).data).toEqual({
      name: 'U',
      source: 'market-universe',
      symbols: ['SPY', 'QQQ'],
    });
    expect(parse({ name: 'U', source: 'market-universe' }).success).toBe(true);
  });

  it('takes an inline file without source (or with source "file") and keeps its own rules and messages', () => {
    expect(parse({ name: 'F', format: 'csv', content: 'a\n1\n' }).success).toBe(true);
    expect(parse({ name: 'F', source: 'file', format: 'csv', content: 'a\n1\n' }).success).toBe(true);
    expect(issuesOf({ name: 'F', format: 'csv', content: 'a\n1\n', sheet: 'S' })).toEqual([
      { path: 'sheet', message: 'sheet applies to xlsx only' },
    ]);
  });

  it('refuses a bounded universe at the field: no symbols, 101, a bad symbol, file fields', () => {
    expect(
      issuesOf({ name: 'U', source: 'market-universe', symbols: [] }).map((issue) => issue.path),
    ).toEqual(['symbols']);
    const many = Array.from({ length: 101 }, (_, index) => `S${index}`);
    expect(
      issuesOf({ name: 'U', source: 'market-universe', symbols: many }).map((issue) => issue.path),
    ).toEqual(['symbols']);
    expect(issuesOf({ name: 'U', source: 'market-universe', symbols: ['A#B'] })).toEqual([
      { path: 'symbols.0', message: 'may contain letters, digits, space and . - _ / ^ = only' },
    ]);
    expect(parse({ name: 'U', source: 'market-universe', content: 'x' }).success).toBe(false);
    expect(issuesOf({ name: 'U', source: 'other' }).map((issue) => issue.path)).toEqual(['source']);
  });

  it('is documented as one of two strict bodies, with the 422 of the market universe', () => {
    const operation = buildOpenApiDocument().paths['/datasets']?.post as {
      requestBody: { content: { 'application/json': { schema: { oneOf: Record<string, unknown>[] } } } };
      responses: Record<string, { description: string }>;
    };
    const [file, universe] = operation.requestBody.content['application/json'].schema.oneOf;
    expect(file).toMatchObject({ additionalProperties: false, properties: { source: { const: 'file' } } });
    expect(universe).toMatchObject({
      additionalProperties: false,
      required: ['name', 'source'],
      properties: { source: { const: 'market-universe' }, symbols: { minItems: 1, maxItems: 100 } },
    });
    expect(operation.responses['422']?.description).toMatch(/^UNPROCESSABLE: market universe/);
  });
});
