import { type HttpRouteOptions, httpRoute, NotFoundError, putImportMappingRoute } from '@kupala/trade-model';
import { type ImportsSideEffects, importsSideEffects, tradesRouteOptions } from '../../sideEffects';

export const buildHandler = (
  effects: () => ImportsSideEffects = importsSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    putImportMappingRoute,
    async ({ user, params, body }) => {
      const { store, imports, now } = effects();
      if ((await store.getPortfolio(user.sub, params.portfolioId)) === undefined)
        throw new NotFoundError('Portfolio');
      const saved = { name: params.name, mapping: body, updatedAt: now() };
      await imports.saveMapping(user.sub, params.portfolioId, saved);
      return { statusCode: 200, body: saved };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
