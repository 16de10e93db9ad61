import {
  exportPortfolioRoute,
  HttpError,
  type HttpRouteOptions,
  httpRoute,
  NotFoundError,
  type Trade,
} from '@kupala/trade-model';
import { exportDocument } from '../../domain/export';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

// A synchronous Lambda response carries at most 6 MB; larger exports will go through S3.
const MAX_EXPORT_BYTES = 5_500_000;

export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    exportPortfolioRoute,
    async ({ user, params }) => {
      const { store, now } = effects();
      const portfolio = await store.getPortfolio(user.sub, params.portfolioId);
      if (portfolio === undefined) throw new NotFoundError('Portfolio');
      const trades: Trade[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listTrades(user.sub, params.portfolioId, {}, { limit: 500, cursor });
        trades.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      const body = JSON.stringify(exportDocument(portfolio, trades, now()));
      if (Buffer.byteLength(body) > MAX_EXPORT_BYTES) {
        throw new HttpError(
          413,
          'PAYLOAD_TOO_LARGE',
          'This portfolio is too large to export in one response',
        );
      }
      const filename = `${portfolio.name.replace(/[^A-Za-z0-9._-]+/g, '_')}.kupala.json`;
      return {
        statusCode: 200,
        body,
        headers: { 'content-disposition': `attachment; filename="${filename}"` },
      };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
