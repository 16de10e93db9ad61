import { deletePortfolioRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type TradesSideEffects, tradesRouteOptions, tradesSideEffects } from '../../sideEffects';

/** Time this request spends purging before it answers 202 (the function's timeout is 29 s). */
export const PURGE_BUDGET_MS = 20_000;

/**
 * The portfolio is marked deleted first, so it is gone for every reader and booking at once; then its
 * items are purged. 204 when nothing is left; 202 when time ran out: the portfolio stays invisible, the
 * purge goes on in the background (purgePortfolio, on the stream record of the mark) and a next DELETE
 * purges further too. A request that times out after the mark is finished the same way.
 */
export const buildHandler = (
  effects: () => TradesSideEffects = tradesSideEffects,
  options: HttpRouteOptions = {},
  budgetMs: number = PURGE_BUDGET_MS,
) =>
  httpRoute(
    deletePortfolioRoute,
    async ({ user, params }) => {
      const { store, now } = effects();
      if (!(await store.markPortfolioDeleted(user.sub, params.portfolioId, now())))
        throw new NotFoundError('Portfolio');
      const deadline = Date.now() + budgetMs;
      const purge = await store.purgePortfolio(user.sub, params.portfolioId, () => Date.now() < deadline);
      if (purge === 'DONE') return { statusCode: 204 };
      return {
        statusCode: 202,
        body: { portfolioId: params.portfolioId, status: 'DELETING' as const },
      };
    },
    { ...tradesRouteOptions(effects), ...options },
  );

export const main = buildHandler();
