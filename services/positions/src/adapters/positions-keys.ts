/**
 * Key layout of the Positions table (one partition per portfolio, owner first, like every Kupala key):
 *
 * | pk | sk | what |
 * |---|---|---|
 * | `USER#<sub>#PORTFOLIO#<pid>` | `POS#<instrumentKey>` | engine state of a position, its version, generation |
 * | same | `VIEWS#<chunk>` | what valuing reads, packed: per position of the chunk `s:<instrumentKey>` (the state's summary, no lots) and `m:<instrumentKey>` (its mark) |
 * | same | `VIEW#<instrumentKey>` | before the packed views: a position's summary and mark (only `migrateViews` reads it, and removes it) |
 * | same | `TRADE#<tradeId>` | mirror of the applied version of a trade (`ledger` LSI: `<instrumentKey>#<orderKey>`) |
 * | same | `CKPT#<instrumentKey>#<orderKey>#<gen>` | state after the trade at orderKey (every few trades) |
 * | same | `CLOSED#<orderKey>#<instrumentKey>#<gen>#<n>` | a closed lot, in close order across instruments |
 * | same | `CASH#<currency>` | cash balance and income of one currency |
 * | `HOLDERS#<SYMBOL>` | `<sub>#<pid>#<instrumentKey>` | who holds a symbol (revaluation on a price change) |
 * | `HOLDERS#CCY#<CCY>` | `<sub>#<pid>` | which portfolios have positions or cash in a currency (FX changes) |
 * | same as a portfolio | `FXWAIT#<FROM>#<TO>` | that portfolio's mark of the same wait (what `GET …/positions` shows) |
 * | `FXWAIT#<FROM>#<TO>` | `<sub>#<pid>` | a portfolio with a trade that could not be applied for want of any FROM→TO rate |
 */
export const portfolioPartition = (sub: string, portfolioId: string): string =>
  `USER#${sub}#PORTFOLIO#${portfolioId}`;
export const POSITION_PREFIX = 'POS#';
export const positionSortKey = (instrumentKey: string): string => `${POSITION_PREFIX}${instrumentKey}`;
export const VIEWS_PREFIX = 'VIEWS#';
/**
 * Chunks the compact views of a portfolio's positions are packed into: a GET of positions reads at most this
 * many items whatever the number of positions. A chunk holds about 1/16 of them (~500 B each), so an item
 * stays far below DynamoDB's 400 KB up to several thousand positions per portfolio.
 */
export const VIEW_CHUNKS = 16;
/** The chunk item of a position's view: FNV-1a of its instrument key, modulo VIEW_CHUNKS (stable). */
export const viewChunkSortKey = (instrumentKey: string): string => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < instrumentKey.length; index++) {
    hash ^= instrumentKey.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${VIEWS_PREFIX}${(hash % VIEW_CHUNKS).toString(16).padStart(2, '0')}`;
};
/** The sort key of a position's view item before the views were packed into VIEWS# chunks. */
export const legacyViewSortKey = (instrumentKey: string): string => `VIEW#${instrumentKey}`;
export const VIEW_SUMMARY_PREFIX = 's:';
export const VIEW_MARK_PREFIX = 'm:';
/** Attribute of a chunk item holding a position's summary (JSON) and its mark (JSON). */
export const viewSummaryAttribute = (instrumentKey: string): string =>
  `${VIEW_SUMMARY_PREFIX}${instrumentKey}`;
export const viewMarkAttribute = (instrumentKey: string): string => `${VIEW_MARK_PREFIX}${instrumentKey}`;
export const appliedTradeSortKey = (tradeId: string): string => `TRADE#${tradeId}`;
export const LEDGER_INDEX = 'ledger';
export const ledgerKey = (instrumentKey: string, orderKey: string): string => `${instrumentKey}#${orderKey}`;
export const checkpointPrefix = (instrumentKey: string): string => `CKPT#${instrumentKey}#`;
export const checkpointSortKey = (instrumentKey: string, orderKey: string, gen: string): string =>
  `${checkpointPrefix(instrumentKey)}${orderKey}#${gen}`;
export const CLOSED_PREFIX = 'CLOSED#';
export const closedLotSortKey = (
  orderKey: string,
  instrumentKey: string,
  gen: string,
  index: number,
): string => `${CLOSED_PREFIX}${orderKey}#${instrumentKey}#${gen}#${String(index).padStart(4, '0')}`;
export const CASH_PREFIX = 'CASH#';
export const cashSortKey = (currency: string): string => `${CASH_PREFIX}${currency}`;
export const symbolHoldersPartition = (symbol: string): string => `HOLDERS#${symbol}`;
export const currencyHoldersPartition = (currency: string): string => `HOLDERS#CCY#${currency}`;
export const symbolHolderSortKey = (sub: string, portfolioId: string, instrumentKey: string): string =>
  `${sub}#${portfolioId}#${instrumentKey}`;
export const currencyHolderSortKey = (sub: string, portfolioId: string): string => `${sub}#${portfolioId}`;
export const rateWaitPartition = (from: string, to: string): string => `FXWAIT#${from}#${to}`;
export const RATE_WAIT_MARK_PREFIX = 'FXWAIT#';
export const rateWaitMarkSortKey = (from: string, to: string): string =>
  `${RATE_WAIT_MARK_PREFIX}${from}#${to}`;
/** Above every order key (`YYYY-MM-DD#<ulid>`): the open end of a range. */
export const AFTER_ALL_ORDER_KEYS = '~';
