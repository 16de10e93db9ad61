import type { Trade } from '@kupala/trade-model';
import { applyTrade, replayPosition } from './engine';
import { InsufficientQuantityError, InvalidTradeError } from './errors';
import { fromScaled, type Scaled, toScaled } from './scaled';
import { type ClosedLot, type EngineContext, LOT_METHODS, type LotMethod } from './types';

export interface PlannedSale {
  quantity: string;
  price: string;
  /** The sale's trade date: on or after the last trade's. */
  date: string;
  fees?: string;
  /** The sale's rate to base; else the lookup on `date`. */
  fxRate?: string;
}

export interface WhatIfResult {
  realizedGain: string;
  realizedGainBase: string;
  proceeds: string;
  cost: string;
  shortTermGain: string;
  longTermGain: string;
  lotsClosed: number;
  closedLots: ClosedLot[];
}

// The last possible ULID: the planned sale sorts after every booked trade of its date.
const PLANNED_SALE_ID = '7ZZZZZZZZZZZZZZZZZZZZZZZZZ';

const total = (lots: readonly ClosedLot[], pick: (lot: ClosedLot) => string | undefined): string =>
  fromScaled(lots.reduce<Scaled>((sum, lot) => sum + toScaled(pick(lot) ?? '0'), 0n));

/**
 * Replays the instrument's active trades under each method, then sells: side by side. Throws
 * InsufficientQuantityError when the position does not hold `quantity` long.
 */
export const whatIfSale = (
  trades: readonly Trade[],
  sale: PlannedSale,
  ctx: Omit<EngineContext, 'method'>,
): Record<LotMethod, WhatIfResult> => {
  const template = trades.find((trade) => trade.instrument !== undefined);
  if (template?.instrument === undefined)
    throw new InvalidTradeError('-', 'whatIfSale needs the instrument trades');
  const entries = LOT_METHODS.map((method): [LotMethod, WhatIfResult] => {
    const context = { ...ctx, method };
    const { state } = replayPosition(trades, context);
    const held = toScaled(state.quantity);
    if (held < toScaled(sale.quantity)) throw new InsufficientQuantityError(sale.quantity, state.quantity);
    const now = new Date().toISOString();
    const planned: Trade = {
      tradeId: PLANNED_SALE_ID,
      portfolioId: template.portfolioId,
      type: 'SELL',
      instrument: state.instrument,
      instrumentKey: state.instrumentKey,
      quantity: sale.quantity,
      price: sale.price,
      currency: state.instrument.currency,
      tradeDate: sale.date,
      status: 'ACTIVE',
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...(sale.fees === undefined ? {} : { fees: sale.fees }),
      ...(sale.fxRate === undefined ? {} : { fxRate: sale.fxRate }),
    };
    const { closedLots } = applyTrade(state, planned, context);
    const short = closedLots.filter((lot) => lot.holdingPeriod === 'SHORT');
    const long = closedLots.filter((lot) => lot.holdingPeriod === 'LONG');
    return [
      method,
      {
        realizedGain: total(closedLots, (lot) => lot.gain),
        realizedGainBase: total(closedLots, (lot) => lot.gainBase),
        proceeds: total(closedLots, (lot) => lot.proceeds),
        cost: total(closedLots, (lot) => lot.cost),
        shortTermGain: total(short, (lot) => lot.gain),
        longTermGain: total(long, (lot) => lot.gain),
        lotsClosed: closedLots.length,
        closedLots,
      },
    ];
  });
  return Object.fromEntries(entries) as Record<LotMethod, WhatIfResult>;
};
