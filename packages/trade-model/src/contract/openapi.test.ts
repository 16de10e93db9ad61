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
});
