import { Decimal, type PortfolioPositions, type Position } from '@kupala/trade-model';
import type { CashBalance, PositionView, StoredMark } from '../adapters/positions-store';
import type { EngineContext, FxLookup, LotEngine, Mark } from './engine';

/** A price older than this many days is `stale` (a weekend plus a holiday is not). */
export const STALE_AFTER_DAYS = 4;

/** Midnight UTC of a date's first 10 characters, in ms (NaN when not a date). Marks of one day share it. */
let lastDay = '';
let lastMidnight = Number.NaN;
const midnightOf = (date: string): number => {
  const day = date.slice(0, 10);
  if (day !== lastDay) {
    lastMidnight = new Date(`${day}T00:00:00Z`).getTime();
    lastDay = day;
  }
  return lastMidnight;
};

const daysBetween = (earlier: string, later: Date): number =>
  (later.getTime() - midnightOf(earlier)) / 86_400_000;

/**
 * The engine's mark from a stored price: a close's date becomes its time at 00:00 UTC; `stale` when the price
 * is more than STALE_AFTER_DAYS calendar days old; a price in another currency than the instrument's is not
 * used (a wrong-currency price would value the position wrongly).
 */
export const markOf = (
  stored: StoredMark | undefined,
  currency: string,
  fxToBase: string | undefined,
  now: Date,
): Mark | undefined => {
  if (stored === undefined || stored.currency !== currency) return undefined;
  const time = stored.asOf.length === 10 ? `${stored.asOf}T00:00:00.000Z` : stored.asOf;
  return {
    price: stored.price,
    time,
    ...(stored.previousClose === undefined ? {} : { previousClose: stored.previousClose }),
    stale: daysBetween(stored.asOf, now) > STALE_AFTER_DAYS,
    ...(fxToBase === undefined ? {} : { fxToBase }),
  };
};

export interface ValuationInput {
  baseCurrency: string;
  lotMethod: EngineContext['method'];
  positions: PositionView[];
  cash: CashBalance[];
  /** Latest rate of each currency to the base currency (undefined when none is known). */
  latestToBase: (currency: string) => string | undefined;
  includeClosed: boolean;
  now: Date;
}

/** A zero quantity: "0", and (should an engine answer one) "-0", "0.000"; no decimal parse per position. */
const ZERO = /^-?0(\.0+)?$/;
const isFlat = (position: Position): boolean => ZERO.test(position.quantity);

/** The `GET …/positions` body: every position valued at its mark and the latest FX rates, cash and totals. */
export const valuePortfolio = (engine: LotEngine, input: ValuationInput): PortfolioPositions => {
  const fx: FxLookup = (from, to) => (to === input.baseCurrency ? input.latestToBase(from) : undefined);
  const ctx: EngineContext = { method: input.lotMethod, baseCurrency: input.baseCurrency, fx };
  const valued = input.positions.map((stored) =>
    engine.valuePosition(
      stored.summary,
      markOf(
        stored.mark,
        stored.instrument.currency,
        input.latestToBase(stored.instrument.currency),
        input.now,
      ),
      ctx,
    ),
  );
  const income = input.cash.reduce<Decimal | undefined>((total, cash) => {
    const rate = input.latestToBase(cash.currency);
    return total === undefined || rate === undefined
      ? undefined
      : total.plus(new Decimal(cash.income).times(rate));
  }, new Decimal(0));
  const cash = input.cash
    .map(({ currency, balance }) => ({ currency, balance }))
    .sort((a, b) => a.currency.localeCompare(b.currency));
  return {
    asOf: input.now.toISOString(),
    baseCurrency: input.baseCurrency,
    positions: valued.filter((position) => input.includeClosed || !isFlat(position)),
    cash,
    totals: engine.portfolioTotals(valued, cash, (income ?? new Decimal(0)).toFixed(), input.latestToBase),
  };
};
