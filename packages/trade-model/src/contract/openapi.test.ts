import { POSITIVE_DECIMAL_PATTERN } from '../schemas/primitives';
import { ROUTES } from './all-routes';
import { buildOpenApiDocument } from './openapi';

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('is OpenAPI 3.1 and lists every route of the contract', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      expect(document.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    }
  });

  it('declares every path parameter of every templated path', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(operations) as { parameters: { name: string; in: string }[] }[]) {
        const declared = operation.parameters
          .filter((parameter) => parameter.in === 'path')
          .map((p) => p.name);
        expect(declared.sort()).toEqual([...names].sort());
      }
    }
  });

  it('marks only the public routes as needing no token', () => {
    const publicOperations = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations as Record<string, { security: unknown[] }>)
        .filter(([, operation]) => operation.security.length === 0)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(publicOperations.sort()).toEqual(['GET /health', 'GET /openapi.json']);
  });

  it('describes the trade body as a union keyed by type with strict objects', () => {
    const operation = document.paths['/portfolios/{portfolioId}/trades']?.post as
      | { requestBody: { content: Record<string, { schema: unknown }> } }
      | undefined;
    const body = operation?.requestBody.content['application/json']?.schema;
    const text = JSON.stringify(body);
    expect(text).toContain('"SPLIT"');
    expect(text).toContain('"additionalProperties":false');
  });

  it('documents the answers of a ledger under faults: 503 with retries, 202 deletions, streamed exports, upload forms', () => {
    type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
    const operation = (path: string, method: string) =>
      (document.paths[path] as Record<string, Operation> | undefined)?.[method];
    // every authenticated operation can answer 503 once its bounded retries give up; public ones cannot
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(
        operations as Record<string, Operation & { security: unknown[] }>,
      )) {
        expect([path, method, '503' in op.responses]).toEqual([path, method, op.security.length > 0]);
      }
    }
    const deletion = operation('/portfolios/{portfolioId}', 'delete');
    expect(Object.keys(deletion?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '204', '404', '503']),
    );
    expect(JSON.stringify(deletion?.responses['202'])).toContain('DELETING');
    const exported = JSON.stringify(operation('/portfolios/{portfolioId}/export', 'get')?.responses['200']);
    expect(exported).toContain('downloadUrl');
    expect(exported).toContain('"trades"');
    const batch = JSON.stringify(
      operation('/portfolios/{portfolioId}/trades/batch', 'post')?.responses['201'],
    );
    expect(batch).toContain('"resumed"');
    const created = JSON.stringify(operation('/portfolios/{portfolioId}/imports', 'post')?.responses['202']);
    expect(created).toContain('uploadFields');
  });
});

describe('the document states every bound the code enforces', () => {
  const document = buildOpenApiDocument();
  type Operation = {
    parameters: { name: string; in: string; schema: Record<string, unknown> }[];
    responses: Record<string, unknown>;
    description?: string;
    requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  };
  const operation = (path: string, method: string) =>
    (document.paths[path] as Record<string, Operation> | undefined)?.[method] as Operation;
  const parameter = (path: string, method: string, name: string) =>
    operation(path, method).parameters.find((candidate) => candidate.name === name)?.schema;

  it('limit is an integer from 1 to 500 (default 50), dates are real calendar dates of 10 characters', () => {
    expect(parameter('/portfolios', 'get', 'limit')).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 500,
      default: 50,
    });
    const from = parameter('/portfolios/{portfolioId}/trades', 'get', 'from');
    expect(from).toMatchObject({ type: 'string', format: 'date', minLength: 10, maxLength: 10 });
    const calendar = new RegExp(String(from?.pattern));
    expect(['2024-02-29', '2000-02-29', '1900-01-01', '2100-12-31'].every((d) => calendar.test(d))).toBe(
      true,
    );
    expect(
      ['2023-02-29', '1900-02-29', '2100-02-29', '2026-04-31', '2026-13-01', '1899-12-31'].some((d) =>
        calendar.test(d),
      ),
    ).toBe(false);
  });

  it('currencies are the ISO-4217 enum, names are non-blank and bounded, positive decimals have a pattern', () => {
    const body = operation('/portfolios', 'post').requestBody?.content['application/json']?.schema as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(body.properties.baseCurrency?.enum).toEqual(expect.arrayContaining(['USD', 'EUR', 'JPY']));
    expect(body.properties.baseCurrency?.enum).not.toContain('ABC');
    expect(body.properties.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 100 });
    const nonBlank = new RegExp(String(body.properties.name?.pattern));
    expect([' ', '\t', 'a\u0000b'].some((name) => nonBlank.test(name))).toBe(false);
    expect(nonBlank.test(' Core ')).toBe(true);
    const trade = JSON.stringify(operation('/portfolios/{portfolioId}/trades', 'post').requestBody);
    expect(trade).toContain(JSON.stringify(POSITIVE_DECIMAL_PATTERN));
    const positive = new RegExp(POSITIVE_DECIMAL_PATTERN);
    expect(['0', '-1', '0.000', '00.5', '1e3', ''].some((value) => positive.test(value))).toBe(false);
    expect(['0.5', '10', '0.000000000001', '190.50'].every((value) => positive.test(value))).toBe(true);
  });

  it('lists 409 where the operation can answer it (amend, cancel, manual prices, idempotent creates)', () => {
    for (const [path, method] of [
      ['/portfolios/{portfolioId}/trades/{tradeId}', 'put'],
      ['/portfolios/{portfolioId}/trades/{tradeId}', 'delete'],
      ['/instruments/{symbol}/prices', 'put'],
      ['/portfolios', 'post'],
    ] as const) {
      expect(Object.keys(operation(path, method).responses)).toContain('409');
    }
    // a large export is streamed to S3 and answered with a download URL: never a 413
    expect(Object.keys(operation('/portfolios/{portfolioId}/export', 'get').responses)).not.toContain('413');
  });

  it('has servers, top-level tags for every tag used, and a description on every operation', () => {
    expect(document.servers.length).toBeGreaterThan(0);
    const declared = new Set(document.tags.map((tag) => tag.name));
    for (const operations of Object.values(document.paths)) {
      for (const op of Object.values(operations) as (Operation & { tags: string[] })[]) {
        expect(op.description?.length ?? 0).toBeGreaterThan(0);
        for (const tag of op.tags) expect(declared.has(tag)).toBe(true);
      }
    }
  });
});
