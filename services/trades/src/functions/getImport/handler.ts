import { getImportRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { importResource } from '../../domain/imports/import-resource';
import { type ImportsSideEffects, importsSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => ImportsSideEffects = importsSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getImportRoute,
    async ({ user, params }) => {
      const { store, imports, now } = effects();
      const [portfolio, record] = await Promise.all([
        store.getPortfolio(user.sub, params.portfolioId),
        imports.getImport(user.sub, params.portfolioId, params.importId),
      ]);
      if (portfolio === undefined || record === undefined) throw new NotFoundError('Import');
      return { statusCode: 200, body: importResource(record, now()) };
    },
    options,
  );

export const main = buildHandler();
