/**
 * Key layout of the Positions table (one partition per portfolio, owner first, like every Kupala key):
 *
 * | pk | sk | what |
 * |---|---|---|
 * | `USER#<sub>#PORTFOLIO#<pid>` | `POS#<instrumentKey>` | engine state of a position, its version, generation |
 * | same | `VIEW#<instrumentKey>` | what valuing the position reads: the state's summary (no lots) and the mark |
 * | same | `TRADE#<tradeId>` | mirror of the applied version of a trade (`ledger` LSI: `<instrumentKey>#<orderKey>`) |
 * | same | `CKPT#<instrumentKey>#<orderKey>#<gen>` | state after the trade at orderKey (every few trades) |
 * | same | `CLOSED#<orderKey>#<instrumentKey>#<gen>#<n>` | a closed lot, in close order across instruments |
 * | same | `CASH#<currency>` | cash balance and income of one currency |
 * | `HOLDERS#<SYMBOL>` | `<sub>#<pid>#<instrumentKey>` | who holds a symbol (revaluation on a price change) |
 * | `HOLDERS#CCY#<CCY>` | `<sub>#<pid>` | which portfolios have positions or cash in a currency (FX changes) |
 */
export const portfolioPartition = (sub: string, portfolioId: string): string =>
  `USER#${sub}#PORTFOLIO#${portfolioId}`;
export const POSITION_PREFIX = 'POS#';
export const positionSortKey = (instrumentKey: string): string => `${POSITION_PREFIX}${instrumentKey}`;
export const VIEW_PREFIX = 'VIEW#';
export const positionViewSortKey = (instrumentKey: string): string => `${VIEW_PREFIX}${instrumentKey}`;
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
/** Above every order key (`YYYY-MM-DD#<ulid>`): the open end of a range. */
export const AFTER_ALL_ORDER_KEYS = '~';
