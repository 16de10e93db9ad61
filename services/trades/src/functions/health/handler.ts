import { healthRoute, httpRoute } from '@kupala/trade-model';

export const main = httpRoute(healthRoute, async () => ({
  statusCode: 200,
  body: { status: 'ok' as const },
}));
