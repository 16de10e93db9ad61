import { canonicalDecimal, inverseRate } from '@kupala/trade-model';

/** A stored rate that may answer a pair: the pair's own or its inverse's, manual or from the feed. */
export interface RateCandidate {
  date: string;
  rate: string;
  source: string;
  manual: boolean;
  inverse: boolean;
}

/** With a date, a rate up to this many days older answers (weekends and holidays carry the last rate). */
export const FX_LOOKBACK_DAYS = 7;

/**
 * The rate that answers: the latest date; on the same date a manual rate over the feed's and the pair's
 * own over its inverse. An inverse rate is used as 1 / rate (12 places, half-even, trailing zeros dropped).
 */
export const chooseRate = (candidates: readonly (RateCandidate | undefined)[]) => {
  const rank = (candidate: RateCandidate) => (candidate.manual ? 2 : 0) + (candidate.inverse ? 0 : 1);
  const best = candidates
    .filter((candidate): candidate is RateCandidate => candidate !== undefined)
    .sort((a, b) => b.date.localeCompare(a.date) || rank(b) - rank(a))[0];
  if (best === undefined) return undefined;
  const rate = best.inverse ? inverseRate(best.rate) : canonicalDecimal(best.rate);
  return { date: best.date, rate, source: best.source };
};

export const daysBefore = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
