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

const MAX_TERM = 50;
const RATIO_PLACES = 12;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

// Every ratio p/q in lowest terms with p, q ≤ 50, simplest first: by the larger of p and q, then q. Real
// splits are 2:1, 3:2, 10:1, 1:10, 1:20…; the simplest candidate beats one that fits by accident
// (105 shares becoming 10 is 1-for-10 with half a share paid in cash, not exactly 2-for-21).
const CANDIDATES: readonly (readonly [number, number])[] = (() => {
  const pairs: [number, number][] = [];
  for (let p = 1; p <= MAX_TERM; p++)
    for (let q = 1; q <= MAX_TERM; q++) if (p !== q && gcd(p, q) === 1) pairs.push([p, q]);
  return pairs.sort((a, b) => Math.max(...a) - Math.max(...b) || a[1] - b[1]);
})();

/**
 * The split ratio (new units per old unit) that turns `held` shares into `after`: the simplest fraction
 * p/q (p, q up to 50) with held × p/q in [after, after + 1) — brokers pay the fraction of a share left over
 * as cash in lieu, so the shares credited are rounded down. 12 decimal places, like every ratio read.
 * Returns a message when there is no such ratio (no holding, nothing changes, or no simple fraction).
 */
export const splitRatio = (held: Decimal, after: Decimal): { ratio: string } | { problem: string } => {
  if (held.lte(0)) return { problem: `no shares are held before that date (${canonicalDecimal(held)})` };
  if (after.lte(0) || after.eq(held))
    return { problem: `${canonicalDecimal(held)} held would become ${canonicalDecimal(after)}` };
  for (const [numerator, denominator] of CANDIDATES) {
    const result = held.times(numerator).div(denominator);
    if (result.gte(after) && result.lt(after.plus(1))) {
      const ratio = new Decimal(numerator).div(denominator).round(RATIO_PLACES, Decimal.roundHalfEven);
      return { ratio: canonicalDecimal(ratio) };
    }
  }
  return {
    problem: `${canonicalDecimal(held)} held becoming ${canonicalDecimal(after)} is not a clean split ratio (p/q with p, q up to ${MAX_TERM})`,
  };
};
