import { type HttpRouteOptions, httpRoute, NotFoundError, requestEodRoute } from '@kupala/trade-model';
import { lastBusinessDay, resolveRange } from '../../domain/eod-range';
import { type EodHttpSideEffects, eodHttpSideEffects } from '../../eodSideEffects';

/** POST …/eod: checks the portfolio is the caller's, then queues the build of the range (202). */
export const buildHandler = (
  effects: () => EodHttpSideEffects = eodHttpSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    requestEodRoute,
    async ({ user, params, body }) => {
      const { portfolios, worker, now } = effects();
      const { portfolioId } = params;
      const range = resolveRange(body, lastBusinessDay(now()), (to) => to, 'body');
      if ((await portfolios.getPortfolioSettings(user.sub, portfolioId)) === undefined) {
        throw new NotFoundError('Portfolio');
      }
      await worker.dispatch({ sub: user.sub, portfolioId, ...range });
      return { statusCode: 202, body: { portfolioId, ...range, status: 'ACCEPTED' as const } };
    },
    options,
  );

export const main = buildHandler();
