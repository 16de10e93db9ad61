import type { Instrument, PositionsTotals, Trade } from '@kupala/trade-model';

export type LotMethod = 'FIFO' | 'LIFO' | 'HIFO' | 'AVERAGE';
export const LOT_METHODS: readonly LotMethod[] = ['FIFO', 'LIFO', 'HIFO', 'AVERAGE'];

/**
 * Rate lookup: units of `to` per 1 `from` on `date` (undefined when unknown). Synchronous: callers prefetch.
 * Answer the latest rate on or before `date` (weekends and holidays have none of their own).
 */
export type FxLookup = (from: string, to: string, date: string) => string | undefined;

export interface EngineContext {
  method: LotMethod;
  baseCurrency: string;
  fx: FxLookup;
}

/** One open lot as stored: decimal strings; negative quantity and cost for a short lot. */
export interface StoredLot {
  openDate: string;
  /** The opening trade (lots of one position never share it). */
  tradeId: string;
  quantity: string;
  /** Total cost in the trade currency, fees and multiplier included. Absent under AVERAGE (the pool holds it). */
  cost?: string;
  /** Cost in the base currency at the opening trade's rate. Absent under AVERAGE. */
  costBase?: string;
  /** HIFO only: cost per unit when opened (the heap's key; splits scale every lot alike, so it is kept). */
  unitKey?: string;
}

/**
 * JSON-serializable state of one (portfolio, instrumentKey) position; enough to continue incrementally.
 * Treat as opaque: `applyTrade` keeps a private (non-enumerable, never serialized) cache on it.
 */
export interface PositionState {
  /** Format version of this object. */
  format: 1;
  instrumentKey: string;
  instrument: Instrument;
  /** `ledgerOrderKey` of the last applied trade, null before the first. */
  lastOrderKey: string | null;
  /** Set by the first applied trade; a state never changes method. */
  method: LotMethod | null;
  /** Signed open quantity (negative when short): the sum of the open lots. */
  quantity: string;
  /** Signed total cost of the open lots in the trade currency (negative when short). */
  costBasis: string;
  costBasisBase: string;
  realizedPnl: string;
  realizedPnlBase: string;
  /**
   * Open lots are lots[head…]: a queue (FIFO, AVERAGE), a stack (LIFO) or a binary max-heap (HIFO). Entries
   * before `head` are closed lots not yet compacted away (never more than the open ones): read lots with
   * `openLots`, and store `clonePosition(state)` to drop them.
   */
  lots: StoredLot[];
  head: number;
}

/** One realized lot: a (part of a) lot closed by a sale, cover or expiry. */
export interface ClosedLot {
  instrumentKey: string;
  side: 'LONG' | 'SHORT';
  openDate: string;
  closeDate: string;
  /** Closed quantity, positive for both sides. */
  quantity: string;
  proceeds: string;
  cost: string;
  gain: string;
  holdingPeriod: 'SHORT' | 'LONG';
  proceedsBase: string;
  costBase: string;
  gainBase: string;
  currency: string;
  openTradeId: string;
  closeTradeId: string;
}

/**
 * A ClosedLot before formatting: the figures hold value × 10^12 (see `fromScaled`), as a JS number while that is
 * a safe integer, else as a bigint (never a bigint inside the safe range: `===` compares two figures exactly).
 */
export interface ScaledClosedLot {
  instrumentKey: string;
  side: 'LONG' | 'SHORT';
  openDate: string;
  closeDate: string;
  /** Closed quantity, positive for both sides. */
  quantity: number | bigint;
  proceeds: number | bigint;
  cost: number | bigint;
  gain: number | bigint;
  proceedsBase: number | bigint;
  costBase: number | bigint;
  gainBase: number | bigint;
  currency: string;
  openTradeId: string;
  closeTradeId: string;
}

/** Receives each closed lot of a replay, in order (`replayPositionEach`). */
export type ClosedLotSink = (lot: ScaledClosedLot) => void;

export interface ApplyResult {
  state: PositionState;
  closedLots: ClosedLot[];
}

export interface CashEffect {
  currency: string;
  amount: string;
}

export interface Mark {
  price: string;
  time: string;
  previousClose?: string;
  stale: boolean;
  /** The latest rate to the base currency (units of base per 1 unit of the position's currency). */
  fxToBase?: string;
}

export type Totals = PositionsTotals;

export type { Trade };
