import { buildOpenApiDocument, httpRoute, openApiRoute } from '@kupala/trade-model';

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export const main = httpRoute(openApiRoute, async () => {
  document ??= buildOpenApiDocument();
  return { statusCode: 200, body: document, headers: { 'cache-control': 'public, max-age=300' } };
});
