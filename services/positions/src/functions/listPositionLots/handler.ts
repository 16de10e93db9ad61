import {
  decodeCursor,
  encodeCursor,
  type HttpRouteOptions,
  httpRoute,
  listPositionLotsRoute,
  NotFoundError,
  pageLimit,
} from '@kupala/trade-model';
import { type PositionsHttpSideEffects, positionsHttpSideEffects } from '../../positionsSideEffects';

export const buildHandler = (
  effects: () => PositionsHttpSideEffects = positionsHttpSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    listPositionLotsRoute,
    async ({ user, params, query }) => {
      const { portfolios, table, engine } = effects();
      const { portfolioId, instrumentKey } = params;
      const [settings, position] = await Promise.all([
        portfolios.getPortfolioSettings(user.sub, portfolioId),
        table.getPosition(user.sub, portfolioId, instrumentKey),
      ]);
      if (settings === undefined) throw new NotFoundError('Portfolio');
      // the open lots live in the position's state: a page is a slice of them, the cursor its offset
      const lots = position === undefined ? [] : engine.openLots(position.state);
      const scope = { portfolioId, instrumentKey };
      const offset = Number(decodeCursor(query.cursor, scope)?.offset ?? '0');
      const limit = pageLimit(query.limit);
      const end = offset + limit;
      return {
        statusCode: 200,
        body: {
          items: lots.slice(offset, end),
          nextCursor: end < lots.length ? encodeCursor({ ...scope, offset: String(end) }) : null,
        },
      };
    },
    options,
  );

export const main = buildHandler();
