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
