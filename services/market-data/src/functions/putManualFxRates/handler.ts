import { type HttpRouteOptions, httpRoute, putManualFxRatesRoute } from '@kupala/trade-model';
import { type MarketDataSideEffects, marketDataSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MarketDataSideEffects = marketDataSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    putManualFxRatesRoute,
    async ({ user, params, body }) => {
      const { marketData, now } = effects();
      const { base, quote } = params;
      const written = await marketData.putManualFxRates(user.sub, base, quote, body.rates, now());
      const latest = await marketData.latestManualFxRate(user.sub, base, quote);
      if (latest === undefined)
        throw new Error(`No ${base}/${quote} rate is readable right after writing ${written}`);
      return {
        statusCode: 200,
        body: { base, quote, written, latest: { date: latest.date, rate: latest.rate } },
      };
    },
    options,
  );

export const main = buildHandler();
