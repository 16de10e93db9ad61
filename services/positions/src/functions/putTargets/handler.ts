import { type HttpRouteOptions, httpRoute, NotFoundError, putTargetsRoute } from '@kupala/trade-model';
import { type AnalyticsSideEffects, analyticsSideEffects } from '../../eodSideEffects';

export const buildHandler = (
  effects: () => AnalyticsSideEffects = analyticsSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    putTargetsRoute,
    async ({ user, params, body }) => {
      const { portfolios, eod, now } = effects();
      if ((await portfolios.getPortfolioSettings(user.sub, params.portfolioId)) === undefined) {
        throw new NotFoundError('Portfolio');
      }
      const targets = { weights: { ...body.weights }, updatedAt: now().toISOString() };
      await eod.putTargets(user.sub, params.portfolioId, targets);
      return { statusCode: 200, body: targets };
    },
    options,
  );

export const main = buildHandler();
