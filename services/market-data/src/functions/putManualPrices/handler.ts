import { ConflictError, type HttpRouteOptions, httpRoute, putManualPricesRoute } from '@kupala/trade-model';
import { type MarketDataSideEffects, marketDataSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MarketDataSideEffects = marketDataSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    putManualPricesRoute,
    async ({ user, params, body }) => {
      const { manualPrices, now } = effects();
      const { symbol } = params;
      const stamp = now();
      const claim = await manualPrices.claimCurrency(user.sub, symbol, body.currency, stamp);
      if (!claim.accepted) {
        throw new ConflictError(
          `Manual prices of ${symbol} are kept in ${claim.currency ?? 'another currency'}; send them in that currency`,
        );
      }
      const written = await manualPrices.writeCloses(user.sub, symbol, body.currency, body.prices, stamp);
      const latest = await manualPrices.latestClose(user.sub, symbol);
      if (latest === undefined)
        throw new Error(`No close of ${symbol} is readable right after writing ${written}`);
      return {
        statusCode: 200,
        body: {
          symbol,
          currency: body.currency,
          written,
          latest: { date: latest.date, close: latest.close },
        },
      };
    },
    options,
  );

export const main = buildHandler();
