import type { PositionEvent } from '../domain/imports/holdings';
import type { TradesStore } from './trades-store';

const PAGE = 500;

/**
 * The portfolio's ACTIVE trades of one symbol (every page of `listTrades` filtered by symbol), as the
 * position events an import needs to derive a split's ratio from the shares held.
 */
export const activeTradesOfSymbol = async (
  store: Pick<TradesStore, 'listTrades'>,
  sub: string,
  portfolioId: string,
  symbol: string,
): Promise<PositionEvent[]> => {
  const events: PositionEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listTrades(sub, portfolioId, { symbol }, { limit: PAGE, cursor });
    for (const trade of page.items) {
      if (trade.status !== 'ACTIVE') continue;
      const event: PositionEvent = { type: trade.type, tradeDate: trade.tradeDate };
      if (trade.quantity !== undefined) event.quantity = trade.quantity;
      if (trade.ratio !== undefined) event.ratio = trade.ratio;
      events.push(event);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return events;
};
