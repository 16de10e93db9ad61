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
  /** When the amount column leaves the charges out (IBKR's Proceeds, tradeMoney): compare with the notional alone. */
  chargesIncluded: boolean;
}

const PAYS: ReadonlySet<TradeType> = new Set(['BUY', 'BUY_TO_COVER']);
const RECEIVES: ReadonlySet<TradeType> = new Set(['SELL', 'SELL_SHORT']);

/** Half a unit of the last digit written: what rounding to that many places may have moved the figure. */
const halfUnit = (written: string): Decimal => {
  const places = written.split('.')[1]?.length ?? 0;
  return new Decimal(5).times(new Decimal(10).pow(-(places + 1)));
};

const known = (value: string | undefined): value is string =>
  value !== undefined && DECIMAL_PATTERN.test(value);

/**
 * Cross-checks quantity × price × multiplier (± charges) against the row's own amount. The tolerance is
 * what the rounding of the figures as written can explain (half a unit of the last digit of the price,
 * the quantity, the amount and each charge), so a misread pricing convention (a bond quoted per 100 of
 * face, a total cost read as a per-share price) is a row error instead of a position 100 times too big.
 * Returns nothing; a mismatch is recorded on the draft under `price`.
 */
export const crossCheckAmount = (draft: RowDraft, figures: RowFigures): void => {
  const { quantity, price, multiplier, amount } = figures;
  const buys = PAYS.has(figures.type);
  if (!buys && !RECEIVES.has(figures.type)) return;
  if (amount === undefined || !known(quantity) || !known(price) || !known(multiplier)) return;
  const charges = figures.chargesIncluded ? figures.charges.filter(known) : [];
  const notional = new Decimal(quantity).times(price).times(multiplier);
  const chargeTotal = charges.reduce((total, charge) => total.plus(charge), new Decimal(0));
  const expected = buys ? notional.plus(chargeTotal).neg() : notional.minus(chargeTotal);
  const written = new Decimal(amount.magnitude);
  const tolerance = charges
    .reduce((total, charge) => total.plus(halfUnit(charge)), halfUnit(amount.magnitude))
    .plus(new Decimal(quantity).times(halfUnit(price)).times(multiplier))
    .plus(new Decimal(price).times(halfUnit(quantity)).times(multiplier));
  // Magnitudes: brokers disagree on the amount's sign (IBKR's tradeMoney is positive for a buy).
  const gap = expected.abs().minus(written).abs();
  if (gap.lte(tolerance)) return;
  const what = figures.chargesIncluded
    ? 'quantity × price × multiplier with fees'
    : 'quantity × price × multiplier';
  draft.fail(
    'price',
    `${what} is ${canonicalDecimal(expected.abs())} but column "${figures.column}" says ${canonicalDecimal(written.abs())}: ` +
      'the price is not per unit of quantity (a bond quoted per 100 of face value, a total read as a price?)',
  );
};
