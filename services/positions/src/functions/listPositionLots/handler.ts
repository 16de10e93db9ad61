import {
  decodeCursor,
  encodeCursor,
  type HttpRouteOptions,
  httpRoute,
  listPositionLotsRoute,
  NotFoundError,
  pageLimit,
  ValidationError,
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
      const offsetText = decodeCursor(query.cursor, scope)?.offset ?? '0';
      if (!/^\d{1,7}$/.test(offsetText)) {
        throw new ValidationError('Request is invalid', [
          { path: 'query.cursor', message: 'is not a valid cursor' },
        ]);
      }
      const offset = Number(offsetText);
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
