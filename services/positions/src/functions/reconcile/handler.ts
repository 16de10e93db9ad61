import {
  DEFAULT_TOLERANCE,
  parseGenericPositionsCsv,
  parseIbkrOpenPositions,
  reconcilePositions,
  StatementTooLargeError,
} from '@kupala/performance';
import {
  type HttpRouteOptions,
  httpRoute,
  NotFoundError,
  reconcileRoute,
  ValidationError,
} from '@kupala/trade-model';
import { type AnalyticsSideEffects, analyticsSideEffects } from '../../eodSideEffects';

const PARSERS = {
  'generic-csv': parseGenericPositionsCsv,
  'ibkr-positions': parseIbkrOpenPositions,
} as const;

export const buildHandler = (
  effects: () => AnalyticsSideEffects = analyticsSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    reconcileRoute,
    async ({ user, params, body }) => {
      const { positions } = effects();
      const portfolio = await positions.getPortfolioPositions(user.sub, params.portfolioId, {
        includeClosed: false,
      });
      if (portfolio === undefined) throw new NotFoundError('Portfolio');
      let statement: ReturnType<(typeof PARSERS)[keyof typeof PARSERS]>;
      try {
        statement = PARSERS[body.format](body.content);
      } catch (error: unknown) {
        if (error instanceof StatementTooLargeError)
          throw new ValidationError('Request is invalid', [{ path: 'body.content', message: error.message }]);
        throw error;
      }
      const computed = portfolio.positions.map((position) => ({
        instrumentKey: position.instrumentKey,
        symbol: position.instrument.symbol,
        currency: position.currency,
        quantity: position.quantity,
        costBasis: position.costBasis,
      }));
      const tolerance = { ...DEFAULT_TOLERANCE, ...body.tolerance };
      const { matched, breaks } = reconcilePositions(statement.positions, computed, tolerance);
      return {
        statusCode: 200,
        body: { matched, breaks: [...breaks], errors: statement.errors, skipped: statement.skipped },
      };
    },
    options,
  );

export const main = buildHandler();
