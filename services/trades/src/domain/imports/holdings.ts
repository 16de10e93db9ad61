import { canonicalDecimal, Decimal } from '@kupala/trade-model';

/** What a trade does to the quantity held of its instrument (only the members that matter here). */
export interface PositionEvent {
  type: string;
  tradeDate: string;
  quantity?: string;
  ratio?: string;
}

/**
 * The portfolio's trades of one symbol (ACTIVE ones, any asset class), as the import's caller reads them
 * from the trades store. Parsers that derive a split's ratio from the shares held ask for it.
 */
export type ExistingTradesOf = (symbol: string) => Promise<readonly PositionEvent[]>;

const ADDS: ReadonlySet<string> = new Set(['BUY', 'BUY_TO_COVER', 'TRANSFER_IN']);
const REMOVES: ReadonlySet<string> = new Set(['SELL', 'SELL_SHORT', 'TRANSFER_OUT']);

/** The quantity held just before `date`: the events dated earlier, in date order, splits multiplying. */
export const quantityHeldBefore = (events: readonly PositionEvent[], date: string): Decimal => {
  const earlier = events.filter((event) => event.tradeDate < date);
  earlier.sort((a, b) => (a.tradeDate < b.tradeDate ? -1 : a.tradeDate > b.tradeDate ? 1 : 0));
  let held = new Decimal(0);
  for (const event of earlier) {
    if (event.type === 'SPLIT' && event.ratio !== undefined) held = held.times(event.ratio);
    else if (event.quantity === undefined) continue;
    else if (ADDS.has(event.type)) held = held.plus(event.quantity);
    else if (REMOVES.has(event.type)) held = held.minus(event.quantity);
  }
  return held;
};

const MAX_DENOMINATOR = 50;
const RATIO_PLACES = 12;

/**
 * The split ratio (new units per old unit) that turns `held` shares into `after`: the simplest fraction
 * p/q (q up to 50) with held × p/q in [after, after + 1) — brokers pay the fraction of a share left over
 * as cash in lieu, so the shares credited are rounded down. 12 decimal places, like every ratio read.
 * Returns a message when there is no such ratio (no holding, nothing changes, or no simple fraction).
 */
export const splitRatio = (held: Decimal, after: Decimal): { ratio: string } | { problem: string } => {
  if (held.lte(0)) return { problem: `no shares are held before that date (${canonicalDecimal(held)})` };
  if (after.lte(0) || after.eq(held))
    return { problem: `${canonicalDecimal(held)} held would become ${canonicalDecimal(after)}` };
  for (let denominator = 1; denominator <= MAX_DENOMINATOR; denominator++) {
    const numerator = after.times(denominator).div(held).round(0, Decimal.roundUp);
    const result = held.times(numerator).div(denominator);
    if (numerator.gt(0) && result.gte(after) && result.lt(after.plus(1))) {
      const ratio = numerator.div(denominator).round(RATIO_PLACES, Decimal.roundHalfEven);
      return { ratio: canonicalDecimal(ratio) };
    }
  }
  return {
    problem: `${canonicalDecimal(held)} held becoming ${canonicalDecimal(after)} is not a clean split ratio`,
  };
};
