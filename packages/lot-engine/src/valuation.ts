import type { Lot, Position } from '@kupala/trade-model';
import { Book, lotFigures } from './book';
import { toBig } from './hybrid';
import {
  abs,
  divideRounded,
  fromScaled,
  multiply,
  multiply3,
  ONE,
  prorate,
  type Scaled,
  toScaled,
} from './scaled';
import type { EngineContext, Mark, PositionState, Totals } from './types';

const ONE_SQUARED = ONE * ONE;

/** cost / (quantity × multiplier): per quoted unit, positive for longs and shorts. */
const perUnit = (cost: Scaled, quantity: Scaled, multiplier: Scaled): Scaled =>
  quantity === 0n ? 0n : divideRounded(abs(cost) * ONE_SQUARED, abs(quantity) * multiplier);

const latestRate = (state: PositionState, mark: Mark | undefined, ctx: EngineContext): Scaled | undefined => {
  const currency = state.instrument.currency;
  if (currency === ctx.baseCurrency) return ONE;
  const text =
    mark?.fxToBase ??
    (mark === undefined ? undefined : ctx.fx(currency, ctx.baseCurrency, mark.time.slice(0, 10)));
  return text === undefined ? undefined : toScaled(text);
};

const nullable = (value: Scaled | undefined): string | null =>
  value === undefined ? null : fromScaled(value);

/**
 * The api.md Position from a state and an optional mark (null price fields when none). Value at the mark's
 * price and the latest rate (`mark.fxToBase`, else the lookup on the mark's date); unrealizedPnlBase thus
 * carries the FX effect. dayPnl = quantity × (price − previousClose) × multiplier. A flat position has value,
 * unrealized and day P&L 0 and keeps its realized P&L. `stale` when an open position lacks a price or rate, or
 * the mark is stale.
 */
export const valuePosition = (state: PositionState, mark: Mark | undefined, ctx: EngineContext): Position => {
  const book = new Book(state);
  const quantity = toBig(book.quantity);
  const multiplier = toBig(book.multiplier);
  const flat = quantity === 0n;
  const price = mark === undefined ? undefined : toScaled(mark.price);
  const marketValue = flat ? 0n : price === undefined ? undefined : multiply3(quantity, price, multiplier);
  const previousClose = mark?.previousClose === undefined ? undefined : toScaled(mark.previousClose);
  const dayPnl = flat
    ? 0n
    : price === undefined || previousClose === undefined
      ? undefined
      : multiply3(quantity, price - previousClose, multiplier);
  const rate = flat ? ONE : latestRate(state, mark, ctx);
  const marketValueBase =
    marketValue === undefined || rate === undefined ? undefined : multiply(marketValue, rate);
  return {
    instrumentKey: state.instrumentKey,
    instrument: state.instrument,
    quantity: fromScaled(quantity),
    averageCost: fromScaled(perUnit(toBig(book.costBasis), quantity, multiplier)),
    costBasis: fromScaled(toBig(book.costBasis)),
    lastPrice: nullable(price),
    priceTime: mark?.time ?? null,
    marketValue: nullable(marketValue),
    unrealizedPnl: nullable(marketValue === undefined ? undefined : marketValue - toBig(book.costBasis)),
    realizedPnl: state.realizedPnl,
    dayPnl: nullable(dayPnl),
    currency: state.instrument.currency,
    costBasisBase: fromScaled(toBig(book.costBasisBase)),
    marketValueBase: nullable(marketValueBase),
    unrealizedPnlBase: nullable(
      marketValueBase === undefined ? undefined : marketValueBase - toBig(book.costBasisBase),
    ),
    realizedPnlBase: state.realizedPnlBase,
    stale: !flat && (mark === undefined || mark.stale || marketValueBase === undefined),
  };
};

/**
 * Open lots in the order they were opened (LotSchema items). Under AVERAGE every lot carries the pool's
 * average cost; their cost bases are the pool's spread pro rata to quantity (adding up to it exactly).
 */
export const openLots = (state: PositionState): Lot[] => {
  const book = new Book(state);
  const multiplier = toBig(book.multiplier);
  const lots = book.openLots();
  const ordered =
    state.method === 'HIFO'
      ? [...lots].sort((a, b) =>
          a.openDate !== b.openDate ? (a.openDate < b.openDate ? -1 : 1) : a.tradeId < b.tradeId ? -1 : 1,
        )
      : lots;
  if (state.method !== 'AVERAGE') {
    return ordered.map((lot) => {
      const figures = lotFigures(lot);
      return {
        openDate: lot.openDate,
        quantity: fromScaled(toBig(figures.quantity)),
        costPerUnit: fromScaled(perUnit(toBig(figures.cost), toBig(figures.quantity), multiplier)),
        costBasis: fromScaled(toBig(figures.cost)),
      };
    });
  }
  const poolQuantity = abs(toBig(book.quantity));
  const averageCost = fromScaled(perUnit(toBig(book.costBasis), poolQuantity, multiplier));
  let allocated = 0n;
  return ordered.map((lot, index) => {
    const quantity = toBig(lotFigures(lot).quantity);
    const cost =
      index === ordered.length - 1
        ? toBig(book.costBasis) - allocated
        : prorate(toBig(book.costBasis), abs(quantity), poolQuantity);
    allocated += cost;
    return {
      openDate: lot.openDate,
      quantity: fromScaled(quantity),
      costPerUnit: averageCost,
      costBasis: fromScaled(cost),
    };
  });
};

const sum = (values: readonly (Scaled | undefined)[]): Scaled | undefined => {
  let total = 0n;
  for (const value of values) {
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
};

const parseNullable = (text: string | null): Scaled | undefined =>
  text === null ? undefined : toScaled(text);

/**
 * api.md totals, in base currency: sums of the positions' base figures; dayPnl converted at the latest rate;
 * netLiquidation = Σ marketValueBase + Σ cash at the latest rates. `income` is already in base currency. A
 * figure that needs a missing price or rate is null rather than a partial sum.
 */
export const portfolioTotals = (
  positions: readonly Position[],
  cash: readonly { currency: string; balance: string }[],
  income: string,
  fxToBase: (currency: string) => string | undefined,
): Totals => {
  const rate = (currency: string): Scaled | undefined => {
    const text = fxToBase(currency);
    return text === undefined ? undefined : toScaled(text);
  };
  const convert = (amount: Scaled | undefined, currency: string): Scaled | undefined => {
    if (amount === undefined) return undefined;
    if (amount === 0n) return 0n;
    const value = rate(currency);
    return value === undefined ? undefined : multiply(amount, value);
  };
  const marketValue = sum(positions.map((position) => parseNullable(position.marketValueBase)));
  const costBasis = sum(positions.map((position) => toScaled(position.costBasisBase))) as Scaled;
  const unrealizedPnl = sum(positions.map((position) => parseNullable(position.unrealizedPnlBase)));
  const realizedPnl = sum(positions.map((position) => toScaled(position.realizedPnlBase))) as Scaled;
  const dayPnl = sum(positions.map((position) => convert(parseNullable(position.dayPnl), position.currency)));
  const cashBase = sum(cash.map((line) => convert(toScaled(line.balance), line.currency)));
  const netLiquidation =
    marketValue === undefined || cashBase === undefined ? undefined : marketValue + cashBase;
  return {
    marketValue: nullable(marketValue),
    costBasis: fromScaled(costBasis),
    unrealizedPnl: nullable(unrealizedPnl),
    realizedPnl: fromScaled(realizedPnl),
    income: fromScaled(toScaled(income)),
    dayPnl: nullable(dayPnl),
    netLiquidation: nullable(netLiquidation),
  };
};
