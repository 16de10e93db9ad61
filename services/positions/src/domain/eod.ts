import { dailyReturns } from '@kupala/performance';
import { Decimal, type Trade } from '@kupala/trade-model';
import type { EngineContext, FxLookup, LotEngine, PositionState } from './engine';
import { positionOf } from './trade-events';

/**
 * End-of-day snapshots of one portfolio (pure): the trades replayed with the lot engine up to each business
 * day's close, valued at that day's close (the last close on or before it) and that day's FX rate.
 *
 * Conventions (api.md, binding): V_t = market value of positions + cash in base currency at the close;
 * F_t = DEPOSIT (+), WITHDRAWAL (−), TRANSFER_IN/OUT at value, taken at the START of day t — a flow dated on a
 * weekend or holiday belongs to the next snapshot day; r_t = V_t / (V_{t−1} + F_t) − 1 (performance package).
 * Snapshot days are Monday to Friday (the √252 of volatility counts trading days). The first snapshot of a
 * portfolio is the business day before its first trade, worth 0, so the first day's return is measured too.
 */

/** One open position at a day's close (a closed position is not repeated: its realized P&L is aggregated). */
export interface EodPosition {
  instrumentKey: string;
  quantity: string;
  /** The close the position is valued at, and its date (null: no close on or before the day). */
  price: string | null;
  priceDate: string | null;
  marketValueBase: string | null;
  costBasisBase: string;
  realizedPnlBase: string;
}

export interface EodSnapshot {
  date: string;
  /** V_t in base currency; null when a held position has no close or a currency no rate (see `missing`). */
  netLiquidation: string | null;
  /** F_t in base currency (0 when none). */
  netFlows: string;
  /** r_t, or null on the first day, without capital at the start of the day, or with a value missing. */
  dailyReturn: string | null;
  positions: EodPosition[];
  cash: { currency: string; balance: string }[];
  /** Σ realizedPnlBase of the positions closed by that day (they are not listed in `positions`). */
  closedRealizedPnlBase: string;
  /** What kept `netLiquidation` from being computed: instrument keys without a close, currencies without a rate. */
  missing: string[];
}

/** Daily closes of the portfolio's instruments and rates of its currencies, looked up synchronously. */
export interface EodMarket {
  /** The last close of a symbol on or before `date` in the instrument's currency, with its date. */
  closeOn(symbol: string, currency: string, date: string): { close: string; date: string } | undefined;
  /** Units of `to` per 1 `from` on `date` (the last rate on or before it). */
  fx: FxLookup;
}

export interface EodInput {
  baseCurrency: string;
  lotMethod: EngineContext['method'];
  /** The portfolio's trades (any order; only ACTIVE ones count). */
  trades: readonly Trade[];
  from: string;
  to: string;
  market: EodMarket;
}

const DAY_MS = 86_400_000;
const dayOf = (date: string): Date => new Date(`${date}T00:00:00Z`);
const textOf = (moment: Date): string => moment.toISOString().slice(0, 10);
const isWeekday = (moment: Date): boolean => moment.getUTCDay() !== 0 && moment.getUTCDay() !== 6;

/** The business day (Monday to Friday) strictly before `date`. */
export const previousBusinessDay = (date: string): string => {
  let moment = new Date(dayOf(date).getTime() - DAY_MS);
  while (!isWeekday(moment)) moment = new Date(moment.getTime() - DAY_MS);
  return textOf(moment);
};

/** The business day on or before `date`. */
export const businessDayOnOrBefore = (date: string): string =>
  isWeekday(dayOf(date)) ? date : previousBusinessDay(date);

/** Business days within [from, to], in order. */
export const businessDays = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let moment = dayOf(from); textOf(moment) <= to; moment = new Date(moment.getTime() + DAY_MS)) {
    if (isWeekday(moment)) days.push(textOf(moment));
  }
  return days;
};

/** Calendar days between two dates (to − from). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((dayOf(to).getTime() - dayOf(from).getTime()) / DAY_MS);

const ledgerOrder = (a: Trade, b: Trade): number =>
  a.tradeDate < b.tradeDate ? -1 : a.tradeDate > b.tradeDate ? 1 : a.tradeId < b.tradeId ? -1 : 1;

/** The first snapshot day of a portfolio: the business day before its first active trade (undefined: none). */
export const firstSnapshotDay = (trades: readonly Trade[]): string | undefined => {
  const first = trades
    .filter((trade) => trade.status === 'ACTIVE')
    .map((trade) => trade.tradeDate)
    .sort()[0];
  return first === undefined ? undefined : previousBusinessDay(first);
};

const EXTERNAL_FLOWS = new Set<Trade['type']>(['DEPOSIT', 'WITHDRAWAL', 'TRANSFER_IN', 'TRANSFER_OUT']);

/**
 * An external flow's value in base currency (+ in, − out): a cash flow's amount, a securities transfer's
 * quantity × price × multiplier, at the trade's own rate or the rate of its date; undefined without a rate.
 */
const flowInBase = (trade: Trade, fx: FxLookup, baseCurrency: string): Decimal | undefined => {
  const gross =
    trade.quantity === undefined
      ? new Decimal(trade.amount ?? '0')
      : new Decimal(trade.quantity).times(trade.price ?? '0').times(trade.instrument?.multiplier ?? '1');
  const sign = trade.type === 'DEPOSIT' || trade.type === 'TRANSFER_IN' ? 1 : -1;
  const rate = trade.fxRate ?? fx(trade.currency, baseCurrency, trade.tradeDate);
  return rate === undefined ? undefined : gross.times(rate).times(sign);
};

/**
 * Snapshots of every business day in [from, to] from the portfolio's first snapshot day on (days before it
 * hold nothing and are not produced). Each is a full replay of the trades dated on or before the day.
 */
export const buildEodSnapshots = (engine: LotEngine, input: EodInput): EodSnapshot[] => {
  const { baseCurrency, market } = input;
  const trades = input.trades.filter((trade) => trade.status === 'ACTIVE').sort(ledgerOrder);
  const start = firstSnapshotDay(trades);
  if (start === undefined || input.to < start) return [];
  // dates compare as text (ISO-8601)
  const from = [input.from, start].sort()[1] ?? start;
  // the day before the range is computed too: the range's first return needs V_{t−1}
  const first = from > start ? previousBusinessDay(from) : from;
  const ctx: EngineContext = { method: input.lotMethod, baseCurrency, fx: market.fx };
  const states = new Map<string, PositionState>();
  const cash = new Map<string, Decimal>();
  let next = 0;
  let previousDay = '';
  const snapshots: EodSnapshot[] = [];

  const applyThrough = (day: string): { flows: Decimal; missingRate: string[] } => {
    let flows = new Decimal(0);
    const missingRate: string[] = [];
    for (; next < trades.length; next += 1) {
      const trade = trades[next] as Trade;
      if (trade.tradeDate > day) break;
      const key = positionOf(trade);
      if (key !== undefined && trade.instrument !== undefined) {
        const state = states.get(key) ?? engine.emptyPosition(trade.instrument);
        states.set(key, engine.applyTrade(state, trade, ctx).state);
      }
      for (const effect of engine.cashEffects(trade)) {
        cash.set(effect.currency, (cash.get(effect.currency) ?? new Decimal(0)).plus(effect.amount));
      }
      // flows of the days before the first computed day are part of its value, not of its flows
      if (EXTERNAL_FLOWS.has(trade.type) && trade.tradeDate > previousDay && previousDay !== '') {
        const value = flowInBase(trade, market.fx, baseCurrency);
        if (value === undefined) missingRate.push(trade.currency);
        else flows = flows.plus(value);
      }
    }
    return { flows, missingRate };
  };

  for (const day of businessDays(first, input.to)) {
    const { flows, missingRate } = applyThrough(day);
    previousDay = day;
    const missing = new Set<string>(missingRate);
    const positions: EodPosition[] = [];
    let value = new Decimal(0);
    let closedRealized = new Decimal(0);
    for (const state of [...states.values()].sort((a, b) => (a.instrumentKey < b.instrumentKey ? -1 : 1))) {
      const currency = state.instrument.currency;
      const close = market.closeOn(state.instrument.symbol, currency, day);
      const rate = market.fx(currency, baseCurrency, day);
      const mark =
        close === undefined
          ? undefined
          : {
              price: close.close,
              time: `${close.date}T00:00:00.000Z`,
              stale: false,
              ...(rate === undefined ? {} : { fxToBase: rate }),
            };
      const valued = engine.valuePosition(state, mark, ctx);
      if (new Decimal(valued.quantity).eq(0)) {
        closedRealized = closedRealized.plus(valued.realizedPnlBase);
        continue;
      }
      if (valued.marketValueBase === null) missing.add(close === undefined ? state.instrumentKey : currency);
      else value = value.plus(valued.marketValueBase);
      positions.push({
        instrumentKey: state.instrumentKey,
        quantity: valued.quantity,
        price: close?.close ?? null,
        priceDate: close?.date ?? null,
        marketValueBase: valued.marketValueBase,
        costBasisBase: valued.costBasisBase,
        realizedPnlBase: valued.realizedPnlBase,
      });
    }
    const balances = [...cash.entries()]
      .filter(([, balance]) => !balance.eq(0))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [currency, balance] of balances) {
      const rate = market.fx(currency, baseCurrency, day);
      if (rate === undefined) missing.add(currency);
      else value = value.plus(balance.times(rate));
    }
    snapshots.push({
      date: day,
      netLiquidation: missing.size === 0 ? value.toFixed() : null,
      netFlows: flows.toFixed(),
      dailyReturn: null,
      positions,
      cash: balances.map(([currency, balance]) => ({ currency, balance: balance.toFixed() })),
      closedRealizedPnlBase: closedRealized.toFixed(),
      missing: [...missing].sort(),
    });
  }
  withDailyReturns(snapshots);
  return snapshots.filter((snapshot) => snapshot.date >= from);
};

/** Sets each snapshot's r_t from its predecessor (null when either value is missing). */
const withDailyReturns = (snapshots: EodSnapshot[]): void => {
  for (let index = 1; index < snapshots.length; index += 1) {
    const previous = snapshots[index - 1] as EodSnapshot;
    const current = snapshots[index] as EodSnapshot;
    if (previous.netLiquidation === null || current.netLiquidation === null) continue;
    const [, today] = dailyReturns([
      { date: previous.date, netLiquidation: previous.netLiquidation, externalFlow: '0' },
      { date: current.date, netLiquidation: current.netLiquidation, externalFlow: current.netFlows },
    ]);
    current.dailyReturn = today?.value ?? null;
  }
};
