import { invoke, objectCreatedEvent, subOf } from '@kupala/trade-model/testing';
import { main as createImport } from '../functions/createImport/handler';
import { main as exportPortfolio } from '../functions/exportPortfolio/handler';
import { main as getImport } from '../functions/getImport/handler';
import { main as listImportMappings } from '../functions/listImportMappings/handler';
import { main as processImport } from '../functions/processImport/handler';
import { main as putImportMapping } from '../functions/putImportMapping/handler';

export { objectCreatedEvent, subOf };

/** Calls the import handlers the way API Gateway and S3 do, for integration tests. */
export const importsApi = (token: string) => {
  const imports = (portfolioId: string) => ({
    path: `/portfolios/${portfolioId}/imports`,
    routePath: '/portfolios/{portfolioId}/imports',
    pathParameters: { portfolioId },
    token,
  });
  return {
    create: (portfolioId: string, body: unknown) =>
      invoke(createImport, { method: 'POST', ...imports(portfolioId), body }),
    get: (portfolioId: string, importId: string) =>
      invoke(getImport, {
        method: 'GET',
        path: `/portfolios/${portfolioId}/imports/${importId}`,
        routePath: '/portfolios/{portfolioId}/imports/{importId}',
        pathParameters: { portfolioId, importId },
        token,
      }),
    /** What S3 does once the source is stored: runs the processing function on its event. */
    process: (portfolioId: string, importId: string) =>
      processImport(
        objectCreatedEvent(
          process.env.IMPORTS_BUCKET ?? '',
          `${subOf(token)}/${portfolioId}/${importId}/source`,
        ),
      ),
    saveMapping: (portfolioId: string, name: string, mapping: unknown) =>
      invoke(putImportMapping, {
        method: 'PUT',
        path: `/portfolios/${portfolioId}/import-mappings/${name}`,
        routePath: '/portfolios/{portfolioId}/import-mappings/{name}',
        pathParameters: { portfolioId, name },
        token,
        body: mapping,
      }),
    listMappings: (portfolioId: string) =>
      invoke(listImportMappings, {
        method: 'GET',
        path: `/portfolios/${portfolioId}/import-mappings`,
        routePath: '/portfolios/{portfolioId}/import-mappings',
        pathParameters: { portfolioId },
        token,
      }),
    export: (portfolioId: string) =>
      invoke(exportPortfolio, {
        method: 'GET',
        path: `/portfolios/${portfolioId}/export`,
        routePath: '/portfolios/{portfolioId}/export',
        pathParameters: { portfolioId },
        token,
      }),
  };
};
