import { getPerformanceRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { performanceOf } from '../../domain/eod-performance';
import { lastBusinessDay, longestRangeEndingAt, resolveRange } from '../../domain/eod-range';
import { type EodHttpSideEffects, eodHttpSideEffects } from '../../eodSideEffects';

export const buildHandler = (
  effects: () => EodHttpSideEffects = eodHttpSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getPerformanceRoute,
    async ({ user, params, query }) => {
      const { portfolios, eod, now } = effects();
      const { portfolioId } = params;
      const range = resolveRange(query, lastBusinessDay(now()), longestRangeEndingAt, 'query');
      const settings = await portfolios.getPortfolioSettings(user.sub, portfolioId);
      if (settings === undefined) throw new NotFoundError('Portfolio');
      const { before, days } = await eod.series(user.sub, portfolioId, range);
      return {
        statusCode: 200,
        body: { ...performanceOf(before, days), baseCurrency: settings.baseCurrency },
      };
    },
    options,
  );

export const main = buildHandler();
