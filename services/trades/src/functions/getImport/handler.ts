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
      const { imports, now } = effects();
      const record = await imports.getImport(user.sub, params.portfolioId, params.importId);
      if (record === undefined) throw new NotFoundError('Import');
      return { statusCode: 200, body: importResource(record, now()) };
    },
    options,
  );

export const main = buildHandler();
