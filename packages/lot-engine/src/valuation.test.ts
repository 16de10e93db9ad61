import { canonicalDecimal, Decimal } from '@kupala/trade-model';
import fc from 'fast-check';
import { emptyPosition } from './engine';
import { fromScaled } from './scaled';
import { context, equity } from './testing';
import type { Mark, PositionState } from './types';
import { portfolioTotals, valuePosition } from './valuation';

/**
 * valuePosition works on the engine's working figures (safe-integer numbers, else bigints). Its answer is
 * checked here against big.js (trade-model's Decimal) on the api.md definitions, for figures small enough to
 * stay numbers and large enough to leave the safe range (2^53 − 1 at 12 places is ~9,007 units).
 */

/** A decimal with up to 12 places: everyday sizes, sizes near the safe range's edge, and far beyond it. */
const decimal = (min: bigint, max: bigint): fc.Arbitrary<string> =>
  fc.bigInt({ min, max }).map((scaled) => fromScaled(scaled));
const amount = fc.oneof(
  decimal(-(10n ** 16n), 10n ** 16n),
  decimal(2n ** 53n - 10n ** 6n, 2n ** 53n + 10n ** 6n),
  decimal(-(10n ** 26n), 10n ** 26n),
);
const positive = fc.oneof(decimal(1n, 10n ** 15n), decimal(1n, 10n ** 24n));

const round12 = (value: Decimal): string => canonicalDecimal(value.round(12, Decimal.roundHalfEven));

/** The api.md figures with big.js: one half-even rounding to 12 places per product or quotient. */
const expected = (
  state: { quantity: string; costBasis: string; costBasisBase: string },
  multiplier: string,
  mark: { price: string; previousClose: string; fxToBase: string } | undefined,
) => {
  const quantity = new Decimal(state.quantity);
  const flat = quantity.eq(0);
  const marketValue = mark === undefined ? undefined : quantity.times(mark.price).times(multiplier);
  const marketValueText = flat ? '0' : marketValue === undefined ? null : round12(marketValue);
  // a flat position is worth 0 in any currency, with or without a price or rate (valuePosition's contract)
  const marketValueBase = flat
    ? '0'
    : marketValueText === null || mark === undefined
      ? null
      : round12(new Decimal(marketValueText).times(mark.fxToBase));
  // 60 places, then one rounding to 12: a quotient whose places 13–60 read 4999…9 would be the only miss.
  const previousDp = Decimal.DP;
  Decimal.DP = 60;
  const averageCost = flat
    ? '0'
    : round12(new Decimal(state.costBasis).abs().div(quantity.abs().times(multiplier)));
  Decimal.DP = previousDp;
  return {
    quantity: canonicalDecimal(quantity),
    averageCost,
    costBasis: state.costBasis,
    lastPrice: mark === undefined ? null : canonicalDecimal(mark.price),
    marketValue: marketValueText,
    unrealizedPnl:
      marketValueText === null ? null : canonicalDecimal(new Decimal(marketValueText).minus(state.costBasis)),
    dayPnl: flat
      ? '0'
      : mark === undefined
        ? null
        : round12(quantity.times(new Decimal(mark.price).minus(mark.previousClose)).times(multiplier)),
    costBasisBase: state.costBasisBase,
    marketValueBase,
    unrealizedPnlBase:
      marketValueBase === null
        ? null
        : canonicalDecimal(new Decimal(marketValueBase).minus(state.costBasisBase)),
  };
};

describe('valuePosition on working figures', () => {
  it('equals big.js on the api.md definitions, inside and beyond the safe-integer range', () => {
    fc.assert(
      fc.property(
        amount,
        amount,
        amount,
        fc.constantFrom('1', '100', '0.5', '1000000'),
        fc.option(fc.record({ price: positive, previousClose: positive, fxToBase: positive }), {
          nil: undefined,
        }),
        (quantity, costBasis, costBasisBase, multiplier, mark) => {
          const instrument = { ...equity('SAP', 'EUR'), multiplier };
          const state: PositionState = {
            ...emptyPosition(instrument),
            method: 'FIFO',
            quantity,
            costBasis,
            costBasisBase,
            realizedPnl: '12.5',
            realizedPnlBase: '13.75',
          };
          const engineMark: Mark | undefined =
            mark === undefined ? undefined : { ...mark, time: '2026-01-05T00:00:00.000Z', stale: false };
          const position = valuePosition(
            state,
            engineMark,
            context('FIFO', 'USD', () => undefined),
          );

          expect(position).toEqual({
            instrumentKey: state.instrumentKey,
            instrument: state.instrument,
            ...expected(state, multiplier, mark),
            priceTime: mark === undefined ? null : '2026-01-05T00:00:00.000Z',
            realizedPnl: '12.5',
            realizedPnlBase: '13.75',
            currency: 'EUR',
            stale: !new Decimal(quantity).eq(0) && mark === undefined,
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('portfolioTotals on working figures', () => {
  const figureOrNull = fc.option(amount, { nil: null });
  it('sums and converts like big.js, null where a figure or a rate is missing', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            marketValueBase: figureOrNull,
            costBasisBase: amount,
            unrealizedPnlBase: figureOrNull,
            realizedPnlBase: amount,
            dayPnl: figureOrNull,
            currency: fc.constantFrom('USD', 'EUR', 'JPY'),
          }),
          { maxLength: 12 },
        ),
        fc.array(fc.record({ currency: fc.constantFrom('USD', 'EUR', 'JPY'), balance: amount }), {
          maxLength: 3,
        }),
        amount,
        fc.option(positive, { nil: undefined }),
        (figures, cash, income, eurRate) => {
          // USD is the base; EUR at a random rate or unknown; JPY always unknown.
          const fxToBase = (currency: string) =>
            currency === 'USD' ? '1' : currency === 'EUR' ? eurRate : undefined;
          const positions = figures.map(
            (figure) => ({ ...figure }) as unknown as Parameters<typeof portfolioTotals>[0][number],
          );
          const total = (values: (string | null | undefined)[]): string | null =>
            values.some((value) => value === null || value === undefined)
              ? null
              : canonicalDecimal(values.reduce((sum, value) => sum.plus(value as string), new Decimal(0)));
          const inBase = (amountText: string | null, currency: string): string | null => {
            if (amountText === null) return null;
            if (new Decimal(amountText).eq(0)) return '0';
            const rate = fxToBase(currency);
            return rate === undefined ? null : round12(new Decimal(amountText).times(rate));
          };
          const marketValue = total(figures.map((f) => f.marketValueBase));
          const cashBase = total(cash.map((line) => inBase(line.balance, line.currency)));

          expect(portfolioTotals(positions, cash, income, fxToBase)).toEqual({
            marketValue,
            costBasis: total(figures.map((f) => f.costBasisBase)),
            unrealizedPnl: total(figures.map((f) => f.unrealizedPnlBase)),
            realizedPnl: total(figures.map((f) => f.realizedPnlBase)),
            income,
            dayPnl: total(figures.map((f) => inBase(f.dayPnl, f.currency))),
            netLiquidation:
              marketValue === null || cashBase === null
                ? null
                : canonicalDecimal(new Decimal(marketValue).plus(cashBase)),
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
