import {
  getHistoryRoute,
  type HttpRouteOptions,
  httpRoute,
  NotFoundError,
  pageLimit,
} from '@kupala/trade-model';
import { lastBusinessDay, longestRangeEndingAt, resolveRange } from '../../domain/eod-range';
import { type EodHttpSideEffects, eodHttpSideEffects } from '../../eodSideEffects';

export const buildHandler = (
  effects: () => EodHttpSideEffects = eodHttpSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getHistoryRoute,
    async ({ user, params, query }) => {
      const { portfolios, eod, now } = effects();
      const range = resolveRange(query, lastBusinessDay(now()), longestRangeEndingAt, 'query');
      if ((await portfolios.getPortfolioSettings(user.sub, params.portfolioId)) === undefined) {
        throw new NotFoundError('Portfolio');
      }
      const page = await eod.listDays(user.sub, params.portfolioId, range, {
        limit: pageLimit(query.limit),
        cursor: query.cursor,
      });
      return {
        statusCode: 200,
        body: {
          items: page.items.map(({ date, netLiquidation, netFlows, dailyReturn }) => ({
            date,
            netLiquidation,
            netFlows,
            dailyReturn,
          })),
          nextCursor: page.nextCursor,
        },
      };
    },
    options,
  );

export const main = buildHandler();
