import { proposeRebalance, RebalanceInputError } from '@kupala/performance';
import {
  ConflictError,
  Decimal,
  getRebalanceRoute,
  type HttpRouteOptions,
  httpRoute,
  NotFoundError,
} from '@kupala/trade-model';
import { plainInstrumentOf, rebalanceInputOf } from '../../domain/rebalance-input';
import { type AnalyticsSideEffects, analyticsSideEffects } from '../../eodSideEffects';

export const buildHandler = (
  effects: () => AnalyticsSideEffects = analyticsSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getRebalanceRoute,
    async ({ user, params }) => {
      const { portfolios, positions, marketData, eod } = effects();
      const { portfolioId } = params;
      const settings = await portfolios.getPortfolioSettings(user.sub, portfolioId);
      if (settings === undefined) throw new NotFoundError('Portfolio');
      const targets = await eod.getTargets(user.sub, portfolioId);
      if (targets === undefined || Object.keys(targets.weights).length === 0) {
        throw new ConflictError('No targets are set: PUT /portfolios/{portfolioId}/targets first');
      }
      const portfolio = await positions.getPortfolioPositions(user.sub, portfolioId, {
        includeClosed: false,
      });
      if (portfolio === undefined) throw new NotFoundError('Portfolio');
      const input = await rebalanceInputOf(portfolio, targets.weights, async (key) => {
        const instrument = plainInstrumentOf(key);
        if (instrument === undefined) return undefined;
        const [price, rate] = await Promise.all([
          marketData.latestPrice(user.sub, instrument.symbol),
          marketData.latestRate(user.sub, instrument.currency, settings.baseCurrency),
        ]);
        if (price === undefined || price.currency !== instrument.currency || rate === undefined)
          return undefined;
        return new Decimal(price.price).times(rate.rate).toFixed();
      });
      try {
        return { statusCode: 200, body: { baseCurrency: settings.baseCurrency, ...proposeRebalance(input) } };
      } catch (error: unknown) {
        if (error instanceof RebalanceInputError) throw new ConflictError(error.message, { cause: error });
        throw error;
      }
    },
    options,
  );

export const main = buildHandler();
