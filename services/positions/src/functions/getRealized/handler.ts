import {
  type ClosedLotView,
  getRealizedRoute,
  type HttpRouteOptions,
  httpRoute,
  NotFoundError,
  pageLimit,
  ValidationError,
  XLSX_MEDIA_TYPE,
} from '@kupala/trade-model';
import { realizedCsv, realizedXlsx } from '../../domain/realized-report';
import { type PositionsHttpSideEffects, positionsHttpSideEffects } from '../../positionsSideEffects';

/** Most closed lots one csv or xlsx download carries (a Lambda response is at most 6 MB). */
export const MAX_REPORT_LOTS = 50_000;

export const buildHandler = (
  effects: () => PositionsHttpSideEffects = positionsHttpSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    getRealizedRoute,
    async ({ user, params, query }) => {
      const { portfolios, table } = effects();
      const { portfolioId } = params;
      if ((await portfolios.getPortfolioSettings(user.sub, portfolioId)) === undefined) {
        throw new NotFoundError('Portfolio');
      }
      const range = { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
      if ((query.format ?? 'json') === 'json') {
        const page = await table.listClosedLots(user.sub, portfolioId, range, {
          limit: pageLimit(query.limit),
          cursor: query.cursor,
        });
        return { statusCode: 200, body: { items: page.items.map(viewOf), nextCursor: page.nextCursor } };
      }
      const lots: ClosedLotView[] = [];
      let cursor: string | undefined;
      do {
        const page = await table.listClosedLots(user.sub, portfolioId, range, { limit: 500, cursor });
        lots.push(...page.items.map(viewOf));
        cursor = page.nextCursor ?? undefined;
        if (lots.length > MAX_REPORT_LOTS) {
          throw new ValidationError('Request is invalid', [
            {
              path: 'query.to',
              message: `the range holds more than ${MAX_REPORT_LOTS} closed lots: narrow it`,
            },
          ]);
        }
      } while (cursor !== undefined);
      if (query.format === 'xlsx') {
        return {
          statusCode: 200,
          headers: {
            'content-type': XLSX_MEDIA_TYPE,
            'content-disposition': `attachment; filename="realized-${portfolioId}.xlsx"`,
          },
          body: Buffer.from(realizedXlsx(lots)).toString('base64'),
          isBase64Encoded: true,
        };
      }
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="realized-${portfolioId}.csv"`,
        },
        body: realizedCsv(lots),
      };
    },
    options,
  );

/** The contract's closed lot (the engine's carries more, e.g. the side). */
const viewOf = (lot: ClosedLotView): ClosedLotView => ({
  instrumentKey: lot.instrumentKey,
  openDate: lot.openDate,
  closeDate: lot.closeDate,
  quantity: lot.quantity,
  proceeds: lot.proceeds,
  cost: lot.cost,
  gain: lot.gain,
  holdingPeriod: lot.holdingPeriod,
  proceedsBase: lot.proceedsBase,
  costBase: lot.costBase,
  gainBase: lot.gainBase,
  currency: lot.currency,
  openTradeId: lot.openTradeId,
  closeTradeId: lot.closeTradeId,
});

export const main = buildHandler();
