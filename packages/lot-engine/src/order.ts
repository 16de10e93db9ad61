import type { Trade } from '@kupala/trade-model';

/** Ledger order of a trade: `${tradeDate}#${tradeId}` (tradeIds are ULIDs in booking order; amend keeps the id). */
export const ledgerOrderKey = (trade: Pick<Trade, 'tradeDate' | 'tradeId'>): string =>
  `${trade.tradeDate}#${trade.tradeId}`;

/** Sorts trades into ledger order (a copy). */
export const sortByLedgerOrder = <T extends Pick<Trade, 'tradeDate' | 'tradeId'>>(
  trades: readonly T[],
): T[] =>
  trades
    .map((trade) => ({ trade, key: ledgerOrderKey(trade) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ trade }) => trade);
