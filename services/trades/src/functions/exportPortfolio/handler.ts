import { exportPortfolioRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { exportKey } from '../../adapters/export-files';
import { EXPORT_FORMAT, EXPORT_VERSION, exportJsonPieces, sizeExport } from '../../domain/export';
import { type ExportSideEffects, exportSideEffects, tradesRouteOptions } from '../../sideEffects';

/** Exports up to this size are answered inline; larger ones are streamed to S3 (see the route's description). */
export const INLINE_EXPORT_BYTES = 1024 * 1024;
/** A download URL of a large export is valid this long. */
export const DOWNLOAD_URL_SECONDS = 15 * 60;

export const buildHandler = (
  effects: () => ExportSideEffects = exportSideEffects,
  options: HttpRouteOptions = {},
  inlineBytes: number = INLINE_EXPORT_BYTES,
) =>
  httpRoute(
    exportPortfolioRoute,
    async ({ user, params }) => {
      const { store, exports, newId, now } = effects();
      const portfolio = await store.getPortfolio(user.sub, params.portfolioId);
      if (portfolio === undefined) throw new NotFoundError('Portfolio');
      const exportedAt = now();
      const pieces = exportJsonPieces(portfolio, store.tradePages(user.sub, params.portfolioId), exportedAt);
      const sized = await sizeExport(pieces, inlineBytes);
      const filename = `${portfolio.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.kupala.json`;
      if (sized.kind === 'INLINE') {
        const headers = { 'content-disposition': `attachment; filename="${filename}"` };
        return { statusCode: 200, body: sized.text, headers };
      }
      const key = exportKey(user.sub, params.portfolioId, newId());
      const bytes = await exports.store(key, sized.pieces);
      const downloadUrl = await exports.downloadUrl(key, DOWNLOAD_URL_SECONDS, filename);
      const expiresAt = new Date(Date.parse(exportedAt) + DOWNLOAD_URL_SECONDS * 1000).toISOString();
      return {
        statusCode: 200,
        body: {
          format: EXPORT_FORMAT,
          version: EXPORT_VERSION,
          exportedAt,
          downloadUrl,
          downloadExpiresAt: expiresAt,
          bytes,
        },
      };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
