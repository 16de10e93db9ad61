import { getPositionsRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type PositionsHttpSideEffects, positionsHttpSideEffects } from '../../positionsSideEffects';

export const buildHandler = (
  effects: () => PositionsHttpSideEffects = positionsHttpSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getPositionsRoute,
    async ({ user, params, query }) => {
      const positions = await effects().positions.getPortfolioPositions(user.sub, params.portfolioId, {
        includeClosed: query.includeClosed === 'true',
      });
      if (positions === undefined) throw new NotFoundError('Portfolio');
      return { statusCode: 200, body: positions };
    },
    options,
  );

export const main = buildHandler();
