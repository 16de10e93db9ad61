import type { ClosedLot, EngineContext, Mark } from '@kupala/lot-engine';
import type { Instrument, Lot, LotMethod, Position, PositionsTotals, Trade } from '@kupala/trade-model';

/**
 * The part of the lot engine (`@kupala/lot-engine`, binding API) the positions service uses, as an
 * injected port: the store keeps the engine's state as opaque JSON, and the orchestration is tested with
 * any engine (the model-based tests use a recording one, the scenario tests the real one).
 */
export type { ClosedLot, EngineContext, FxLookup, Mark } from '@kupala/lot-engine';
export { ledgerOrderKey as orderKeyOf } from '@kupala/lot-engine';

/** The engine's state as the positions service sees it: opaque JSON, identified by its instrument. */
export interface PositionState {
  instrumentKey: string;
  instrument: Instrument;
  lastOrderKey: string | null;
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
  /** A copy that later applyTrade calls (which update a state in place) leave alone: what a checkpoint keeps. */
  clonePosition(state: PositionState): PositionState;
  cashEffects(trade: Trade): { currency: string; amount: string }[];
  /** The state without what only applying trades needs: enough for valuePosition, small whatever the history. */
  positionSummary(state: PositionState): PositionState;
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
