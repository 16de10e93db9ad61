import {
  type HttpRouteOptions,
  httpRoute,
  listImportMappingsRoute,
  NotFoundError,
} from '@kupala/trade-model';
import { type ImportsSideEffects, importsSideEffects, tradesRouteOptions } from '../../sideEffects';

export const buildHandler = (
  effects: () => ImportsSideEffects = importsSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    listImportMappingsRoute,
    async ({ user, params }) => {
      const { store, imports } = effects();
      if ((await store.getPortfolio(user.sub, params.portfolioId)) === undefined)
        throw new NotFoundError('Portfolio');
      return {
        statusCode: 200,
        body: { items: await imports.listMappings(user.sub, params.portfolioId), nextCursor: null },
      };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
