import { getFxRateRoute, HttpError, type HttpRouteOptions, httpRoute } from '@kupala/trade-model';
import { findFxRate } from '../../domain/fx-lookup';
import { fxSymbol } from '../../domain/providers';
import { type MarketDataSideEffects, marketDataSideEffects } from '../../sideEffects';

export const buildHandler = (
  effects: () => MarketDataSideEffects = marketDataSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getFxRateRoute,
    async ({ user, query }) => {
      const { base, quote, date } = query;
      const { marketData, providers, now, warn } = effects();
      const at = now();
      const today = at.slice(0, 10);
      if (base === quote)
        return { statusCode: 200, body: { base, quote, date: date ?? today, rate: '1', source: 'identity' } };
      const found = await findFxRate(
        query,
        {
          rates: (from, to, window) => marketData.ratesOnOrBefore(user.sub, from, to, window),
          fetchRates: (from, to, range) => providers.dailyCloses(fxSymbol(from, to), range),
          saveRates: async (from, to, source, rates) => {
            await marketData.putFeedFxRates(from, to, source, rates);
            await marketData.trackPair(from, to, at);
          },
          onProviderFailure: (pair, error) =>
            warn('no provider answered for an FX rate', { pair, error: String(error) }),
        },
        today,
      );
      if (found === undefined) {
        const when = date === undefined ? '' : ` on or within 7 days before ${date}`;
        throw new HttpError(
          404,
          'NOT_FOUND',
          `No ${base}/${quote} rate${when}: store one with PUT /fx/${base}/${quote}`,
        );
      }
      return { statusCode: 200, body: { base, quote, ...found } };
    },
    options,
  );

export const main = buildHandler();
