import type { Instrument, Lot, LotMethod, Position, PositionsTotals, Trade } from '@kupala/trade-model';

/**
 * The part of the lot engine (`@kupala/lot-engine`, binding API) the positions service uses, as an
 * injected port: the store keeps the engine's state as opaque JSON, and the orchestration is tested with
 * any engine (the model-based tests use a recording one, the scenario tests the real one).
 */
export type FxLookup = (from: string, to: string, date: string) => string | undefined;
export interface EngineContext {
  method: LotMethod;
  baseCurrency: string;
  fx: FxLookup;
}
/** JSON-serializable state of one position; the engine's own fields beyond these are opaque here. */
export interface PositionState {
  instrumentKey: string;
  instrument: Instrument;
  lastOrderKey: string | null;
}
export interface ClosedLot {
  instrumentKey: string;
  openDate: string;
  closeDate: string;
  quantity: string;
  proceeds: string;
  cost: string;
  gain: string;
  holdingPeriod: 'SHORT' | 'LONG';
  proceedsBase: string | null;
  costBase: string | null;
  gainBase: string | null;
  currency: string;
  openTradeId: string;
  closeTradeId: string;
}
export interface Mark {
  price: string;
  time: string;
  previousClose?: string;
  stale: boolean;
  fxToBase?: string;
}
export interface WhatIfOutcome {
  realizedGain: string;
  proceeds: string;
  cost: string;
  lotsClosed: number;
  shortTermGain?: string;
  longTermGain?: string;
}

export interface LotEngine {
  ledgerOrderKey(trade: Pick<Trade, 'tradeDate' | 'tradeId'>): string;
  emptyPosition(instrument: Instrument): PositionState;
  applyTrade(
    state: PositionState,
    trade: Trade,
    ctx: EngineContext,
  ): { state: PositionState; closedLots: ClosedLot[] };
  cashEffects(trade: Trade): { currency: string; amount: string }[];
  valuePosition(state: PositionState, mark: Mark | undefined, ctx: EngineContext): Position;
  openLots(state: PositionState): Lot[];
  portfolioTotals(
    positions: Position[],
    cash: { currency: string; balance: string }[],
    income: string,
    fxToBase: (currency: string) => string | undefined,
  ): PositionsTotals;
  whatIfSale(
    trades: readonly Trade[],
    sale: { quantity: string; price: string; date: string },
    ctx: Omit<EngineContext, 'method'>,
  ): Record<LotMethod, WhatIfOutcome>;
}

/** Ledger order of a trade: `${tradeDate}#${tradeId}` (tradeIds are ULIDs in booking order; amend keeps the id). */
export const orderKeyOf = (trade: Pick<Trade, 'tradeDate' | 'tradeId'>): string =>
  `${trade.tradeDate}#${trade.tradeId}`;
