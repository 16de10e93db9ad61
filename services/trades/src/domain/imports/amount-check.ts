import { canonicalDecimal, DECIMAL_PATTERN, Decimal, type TradeType } from '@kupala/trade-model';
import type { RowDraft } from './row-draft';

/** The figures of a security row as the broker wrote them (magnitudes), and its own total. */
export interface RowFigures {
  type: TradeType;
  quantity: string | undefined;
  price: string | undefined;
  multiplier: string;
  /** Everything the broker added to (buys) or took from (sells) the notional: commissions, fees, accrued interest. */
  charges: readonly (string | undefined)[];
  /** The magnitude of the row's own amount column; undefined when the row has none. */
  amount: { magnitude: string } | undefined;
  /** Name of the amount column, for the message. */
  column: string;
  /**
   * Whether the amount includes the charges (Schwab, Fidelity) or not (IBKR's Proceeds, tradeMoney: the
   * notional alone); `either` for a file whose layout does not say (generic-csv).
   */
  chargesIncluded: boolean | 'either';
}

const PAYS: ReadonlySet<TradeType> = new Set(['BUY', 'BUY_TO_COVER']);
const RECEIVES: ReadonlySet<TradeType> = new Set(['SELL', 'SELL_SHORT']);

/**
 * Half a unit of the last decimal written: what rounding to that many places may have moved the figure.
 * A figure written without decimals (10 shares, a price of 80) is taken as exact.
 */
const HALF_UNITS: Decimal[] = Array.from({ length: 21 }, (_, places) =>
  places === 0 ? new Decimal(0) : new Decimal(`0.${'0'.repeat(places)}5`),
);
const halfUnit = (written: string): Decimal => {
  const dot = written.indexOf('.');
  const places = dot < 0 ? 0 : written.length - dot - 1;
  return HALF_UNITS[places] ?? new Decimal(0);
};

/** Half a cent for the amount itself, at least. */
const AMOUNT_ROUNDING = new Decimal('0.005');
/**
 * Slack on top of the rounding: average prices of orders filled in several executions and regulatory
 * fees a broker leaves out of its fee column move the total by a few hundredths of a percent; the
 * misreadings this check is for (a price per 100 of face, a total read as a unit price) are off by 100x.
 */
const RELATIVE_SLACK = new Decimal('0.005');

const known = (value: string | undefined): value is string =>
  value !== undefined && DECIMAL_PATTERN.test(value);

/**
 * Cross-checks quantity × price × multiplier (± charges) against the row's own amount. The tolerance is
 * what the rounding of the figures as written can explain (half a unit of the last decimal of the price,
 * the quantity, the amount — at least half a cent — and each charge) plus 0.5% of the amount, so a
 * misread pricing convention (a bond quoted per 100 of face, a total cost read as a per-share price) is a
 * row error instead of a position 100 times too big.
 * Returns nothing; a mismatch is recorded on the draft under `price`.
 */
export const crossCheckAmount = (draft: RowDraft, figures: RowFigures): void => {
  const { quantity, price, multiplier, amount } = figures;
  const buys = PAYS.has(figures.type);
  if (!buys && !RECEIVES.has(figures.type)) return;
  if (amount === undefined || !known(quantity) || !known(price) || !known(multiplier)) return;
  const notional = new Decimal(quantity).times(price).times(multiplier);
  const written = new Decimal(amount.magnitude);
  const amountRounding = halfUnit(amount.magnitude);
  const rounding = (amountRounding.gt(AMOUNT_ROUNDING) ? amountRounding : AMOUNT_ROUNDING)
    .plus(written.times(RELATIVE_SLACK))
    .plus(new Decimal(quantity).times(halfUnit(price)).times(multiplier))
    .plus(new Decimal(price).times(halfUnit(quantity)).times(multiplier));
  const expectedWith = (charges: string[]) => {
    const total = charges.reduce((sum, charge) => sum.plus(charge), new Decimal(0));
    const expected = buys ? notional.plus(total) : notional.minus(total);
    const tolerance = charges.reduce((sum, charge) => sum.plus(halfUnit(charge)), rounding);
    // Magnitudes: brokers disagree on the amount's sign (IBKR's tradeMoney is positive for a buy).
    return { expected, fits: expected.abs().minus(written).abs().lte(tolerance) };
  };
  const included = figures.chargesIncluded;
  const withCharges = included === false ? undefined : expectedWith(figures.charges.filter(known));
  if (withCharges?.fits === true) return;
  const without = included === true ? undefined : expectedWith([]);
  if (without?.fits === true) return;
  const expected = (withCharges ?? without)?.expected ?? notional;
  const what =
    included === false ? 'quantity × price × multiplier' : 'quantity × price × multiplier with fees';
  draft.fail(
    'price',
    `${what} is ${canonicalDecimal(expected.abs())} but column "${figures.column}" says ${canonicalDecimal(written)}: ` +
      'the price is not per unit of quantity (a bond quoted per 100 of face value, a total read as a price?)',
  );
};
