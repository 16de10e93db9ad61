import type { Lot, Position } from '@kupala/trade-model';
import { Book, lotFigures } from './book';
import {
  add,
  fromBig,
  type Hybrid,
  abs as hybridAbs,
  mulDiv,
  multiply3 as multiply3Hybrid,
  multiply as multiplyHybrid,
  sub,
  toBig,
  UNIT,
} from './hybrid';
import { abs, divideRounded, fromScaled, ONE, parseScaled, prorate, type Scaled } from './scaled';
import type { EngineContext, Mark, PositionState, Totals } from './types';

const ONE_SQUARED = ONE * ONE;

/** cost / (quantity × multiplier): per quoted unit, positive for longs and shorts. */
const perUnit = (cost: Scaled, quantity: Scaled, multiplier: Scaled): Scaled =>
  quantity === 0n ? 0n : divideRounded(abs(cost) * ONE_SQUARED, abs(quantity) * multiplier);

/** cost / (quantity × multiplier) per quoted unit, positive for longs and shorts: perUnit on working figures. */
const perUnitHybrid = (cost: Hybrid, quantity: Hybrid, multiplier: Hybrid): Hybrid => {
  if (quantity === 0) return 0;
  // Multiplier 1 (10^12 scaled): |cost| × 10^24 / (|quantity| × 10^12) = |cost| × 10^12 / |quantity|, one rounding.
  if (multiplier === UNIT) return mulDiv(hybridAbs(cost), UNIT, hybridAbs(quantity));
  return fromBig(perUnit(toBig(cost), toBig(quantity), toBig(multiplier)));
};

const latestRate = (state: PositionState, mark: Mark | undefined, ctx: EngineContext): Hybrid | undefined => {
  const currency = state.instrument.currency;
  if (currency === ctx.baseCurrency) return UNIT;
  const text =
    mark?.fxToBase ??
    (mark === undefined ? undefined : ctx.fx(currency, ctx.baseCurrency, mark.time.slice(0, 10)));
  return text === undefined ? undefined : parseScaled(text);
};

const nullable = (value: Scaled | number | undefined): string | null =>
  value === undefined ? null : fromScaled(value);

/**
 * The api.md Position from a state and an optional mark (null price fields when none). Value at the mark's
 * price and the latest rate (`mark.fxToBase`, else the lookup on the mark's date); unrealizedPnlBase thus
 * carries the FX effect. dayPnl = quantity × (price − previousClose) × multiplier. A flat position has value,
 * unrealized and day P&L 0 and keeps its realized P&L. `stale` when an open position lacks a price or rate, or
 * the mark is stale. The figures are the engine's working figures (safe-integer numbers, else bigints; see
 * hybrid.ts): every product rounds once, half-even, exactly as on scaled bigints.
 */
export const valuePosition = (state: PositionState, mark: Mark | undefined, ctx: EngineContext): Position => {
  const book = new Book(state);
  const quantity = book.quantity;
  const multiplier = book.multiplier;
  const costBasis = book.costBasis;
  const costBasisBase = book.costBasisBase;
  const flat = quantity === 0;
  const price = mark === undefined ? undefined : parseScaled(mark.price);
  const marketValue = flat
    ? 0
    : price === undefined
      ? undefined
      : multiply3Hybrid(quantity, price, multiplier);
  const previousClose = mark?.previousClose === undefined ? undefined : parseScaled(mark.previousClose);
  const dayPnl = flat
    ? 0
    : price === undefined || previousClose === undefined
      ? undefined
      : multiply3Hybrid(quantity, sub(price, previousClose), multiplier);
  const rate = flat ? UNIT : latestRate(state, mark, ctx);
  const marketValueBase =
    marketValue === undefined || rate === undefined
      ? undefined
      : rate === UNIT
        ? marketValue
        : multiplyHybrid(marketValue, rate);
  return {
    instrumentKey: state.instrumentKey,
    instrument: state.instrument,
    quantity: fromScaled(quantity),
    averageCost: fromScaled(perUnitHybrid(costBasis, quantity, multiplier)),
    costBasis: fromScaled(costBasis),
    lastPrice: nullable(price),
    priceTime: mark?.time ?? null,
    marketValue: nullable(marketValue),
    unrealizedPnl: nullable(marketValue === undefined ? undefined : sub(marketValue, costBasis)),
    realizedPnl: state.realizedPnl,
    dayPnl: nullable(dayPnl),
    currency: state.instrument.currency,
    costBasisBase: fromScaled(costBasisBase),
    marketValueBase: nullable(marketValueBase),
    unrealizedPnlBase: nullable(
      marketValueBase === undefined ? undefined : sub(marketValueBase, costBasisBase),
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

const sum = (values: readonly (Hybrid | undefined)[]): Hybrid | undefined => {
  let total: Hybrid = 0;
  for (const value of values) {
    if (value === undefined) return undefined;
    total = add(total, value);
  }
  return total;
};

const parseNullable = (text: string | null): Hybrid | undefined =>
  text === null ? undefined : parseScaled(text);

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
  const rate = (currency: string): Hybrid | undefined => {
    const text = fxToBase(currency);
    return text === undefined ? undefined : parseScaled(text);
  };
  const convert = (amount: Hybrid | undefined, currency: string): Hybrid | undefined => {
    if (amount === undefined) return undefined;
    if (amount === 0) return 0;
    const value = rate(currency);
    return value === undefined ? undefined : value === UNIT ? amount : multiplyHybrid(amount, value);
  };
  const marketValue = sum(positions.map((position) => parseNullable(position.marketValueBase)));
  const costBasis = sum(positions.map((position) => parseScaled(position.costBasisBase))) as Hybrid;
  const unrealizedPnl = sum(positions.map((position) => parseNullable(position.unrealizedPnlBase)));
  const realizedPnl = sum(positions.map((position) => parseScaled(position.realizedPnlBase))) as Hybrid;
  const dayPnl = sum(positions.map((position) => convert(parseNullable(position.dayPnl), position.currency)));
  const cashBase = sum(cash.map((line) => convert(parseScaled(line.balance), line.currency)));
  const netLiquidation =
    marketValue === undefined || cashBase === undefined ? undefined : add(marketValue, cashBase);
  return {
    marketValue: nullable(marketValue),
    costBasis: fromScaled(costBasis),
    unrealizedPnl: nullable(unrealizedPnl),
    realizedPnl: fromScaled(realizedPnl),
    income: fromScaled(parseScaled(income)),
    dayPnl: nullable(dayPnl),
    netLiquidation: nullable(netLiquidation),
  };
};
