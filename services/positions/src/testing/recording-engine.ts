import { Decimal, instrumentKey, type Trade } from '@kupala/trade-model';
import { type LotEngine, orderKeyOf, type PositionState } from '../domain/engine';

/** A position state that records which trade versions were applied, in order. */
export interface RecordingState extends PositionState {
  applied: string[];
}

const notRecorded = (name: string) => () => {
  throw new Error(`${name} is not part of the recording engine`);
};

/**
 * A lot engine for the model-based tests of the stream consumer: its state is the list of applied trade
 * versions (so any double, missing, stale or misordered application shows), a SELL closes one lot named
 * after it, and cash is notional (BUY debits, SELL and DEPOSIT credit). It refuses out-of-order trades like
 * the real engine.
 */
export const recordingEngine: LotEngine = {
  ledgerOrderKey: orderKeyOf,
  emptyPosition: (instrument) =>
    ({
      instrumentKey: instrumentKey(instrument),
      instrument,
      lastOrderKey: null,
      applied: [],
    }) as RecordingState,
  applyTrade: (state, trade) => {
    const orderKey = orderKeyOf(trade);
    if (state.lastOrderKey !== null && orderKey <= state.lastOrderKey) {
      throw new Error(`out of order: ${orderKey} after ${state.lastOrderKey}`);
    }
    const recording = state as RecordingState;
    return {
      state: {
        ...recording,
        lastOrderKey: orderKey,
        applied: [...recording.applied, `${trade.tradeId}@${trade.version}`],
      },
      closedLots:
        trade.type === 'SELL'
          ? [
              {
                instrumentKey: recording.instrumentKey,
                side: 'LONG',
                openDate: trade.tradeDate,
                closeDate: trade.tradeDate,
                quantity: trade.quantity ?? '0',
                proceeds: '0',
                cost: '0',
                gain: '0',
                holdingPeriod: 'SHORT',
                proceedsBase: '0',
                costBase: '0',
                gainBase: '0',
                currency: trade.currency,
                openTradeId: trade.tradeId,
                closeTradeId: trade.tradeId,
              },
            ]
          : [],
    };
  },
  cashEffects: (trade: Trade) => {
    const notional = new Decimal(trade.quantity ?? '0').times(trade.price ?? '0');
    if (trade.type === 'BUY') return [{ currency: trade.currency, amount: notional.neg().toFixed() }];
    if (trade.type === 'SELL') return [{ currency: trade.currency, amount: notional.toFixed() }];
    if (trade.type === 'DEPOSIT') return [{ currency: trade.currency, amount: trade.amount ?? '0' }];
    return [];
  },
  clonePosition: (state) => ({ ...state, applied: [...(state as RecordingState).applied] }) as RecordingState,
  positionSummary: (state) => state,
  valuePosition: notRecorded('valuePosition'),
  openLots: notRecorded('openLots'),
  portfolioTotals: notRecorded('portfolioTotals'),
  whatIfSale: notRecorded('whatIfSale'),
};
