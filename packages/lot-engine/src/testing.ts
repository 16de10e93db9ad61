import type { Instrument, Trade, TradeType } from '@kupala/trade-model';
import { instrumentKey } from '@kupala/trade-model';
import type { EngineContext, FxLookup, LotMethod } from './types';

export const PORTFOLIO_ID = '01HZZZZZZZZZZZZZZZZZZZZZZZ';

export const equity = (symbol: string, currency = 'USD'): Instrument => ({
  assetClass: 'EQUITY',
  symbol,
  currency,
});

export const callOption = (
  underlying: string,
  strike: string,
  expiry: string,
  currency = 'USD',
): Instrument => ({
  assetClass: 'OPTION',
  symbol: `${underlying}C${strike}`,
  currency,
  multiplier: '100',
  underlying,
  expiry,
  strike,
  putCall: 'C',
});

/** Sequential ULID-shaped ids: booking order is id order. */
export const tradeIds = () => {
  let next = 0;
  return (): string => `01J${String(++next).padStart(23, '0')}`;
};

export type TradeFields = Partial<Omit<Trade, 'type' | 'tradeDate'>>;

/** A booked ACTIVE trade as the trades service stores it. */
export const trades = () => {
  const nextId = tradeIds();
  return (type: TradeType, tradeDate: string, fields: TradeFields = {}): Trade => {
    const instrument = fields.instrument;
    return {
      tradeId: nextId(),
      portfolioId: PORTFOLIO_ID,
      type,
      currency: instrument?.currency ?? 'USD',
      tradeDate,
      status: 'ACTIVE',
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...(instrument === undefined ? {} : { instrumentKey: instrumentKey(instrument) }),
      ...fields,
    };
  };
};

/** A rate table `{ 'EUR/USD': { '2026-01-02': '1.10' } }` answering the latest rate on or before a date. */
export const fxTable =
  (rates: Record<string, Record<string, string>>): FxLookup =>
  (from, to, date) => {
    const series = rates[`${from}/${to}`];
    if (series === undefined) return undefined;
    const dates = Object.keys(series)
      .filter((day) => day <= date)
      .sort();
    const latest = dates[dates.length - 1];
    return latest === undefined ? undefined : series[latest];
  };

export const context = (
  method: LotMethod,
  baseCurrency = 'USD',
  fx: FxLookup = () => undefined,
): EngineContext => ({
  method,
  baseCurrency,
  fx,
});
