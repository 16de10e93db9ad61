import { chooseRate, daysBefore, FX_LOOKBACK_DAYS, type RateCandidate } from './fx';
import type { ProviderClose, ProviderHistory } from './providers';

export interface StoredRates {
  manual?: { date: string; rate: string; source: string };
  feed?: { date: string; rate: string; source: string };
}

export interface FxPorts {
  /** The latest stored rates of one pair (manual and feed) on or before `date`, not before `notBefore`. */
  rates: (base: string, quote: string, window: { date?: string; notBefore?: string }) => Promise<StoredRates>;
  fetchRates: (
    base: string,
    quote: string,
    range: { from: string; to: string },
  ) => Promise<ProviderHistory & { source: string }>;
  /** Stores fetched feed rates and keeps the pair on the refresh list. */
  saveRates: (base: string, quote: string, source: string, rates: ProviderClose[]) => Promise<void>;
  onProviderFailure: (pair: string, error: unknown) => void;
}

const candidatesOf = (stored: StoredRates, inverse: boolean): (RateCandidate | undefined)[] => [
  stored.manual === undefined ? undefined : { ...stored.manual, manual: true, inverse },
  stored.feed === undefined ? undefined : { ...stored.feed, manual: false, inverse },
];

/**
 * The rate of base/quote on `date` (within 7 days before it) or the latest one, from the caller's manual
 * rates and the feed's, of the pair or its inverse (see `chooseRate`). When nothing is stored the feed is
 * asked once for the last 7 days up to the date; what it answers is stored.
 */
export const findFxRate = async (
  pair: { base: string; quote: string; date?: string },
  ports: FxPorts,
  today: string,
): Promise<{ date: string; rate: string; source: string } | undefined> => {
  const { base, quote, date } = pair;
  const window = date === undefined ? {} : { date, notBefore: daysBefore(date, FX_LOOKBACK_DAYS) };
  const [direct, inverse] = await Promise.all([
    ports.rates(base, quote, window),
    ports.rates(quote, base, window),
  ]);
  const stored = chooseRate([...candidatesOf(direct, false), ...candidatesOf(inverse, true)]);
  if (stored !== undefined) return stored;

  const to = date === undefined || date > today ? today : date;
  let history: ProviderHistory & { source: string };
  try {
    history = await ports.fetchRates(base, quote, { from: daysBefore(to, FX_LOOKBACK_DAYS), to });
  } catch (error: unknown) {
    // a provider failure is a missing rate (404); a storage failure below is not and propagates
    ports.onProviderFailure(`${base}/${quote}`, error);
    return undefined;
  }
  if (history.closes.length === 0) return undefined;
  await ports.saveRates(base, quote, history.source, history.closes);
  const latest = history.closes.reduce((a, b) => (b.date > a.date ? b : a));
  return chooseRate([
    { date: latest.date, rate: latest.close, source: history.source, manual: false, inverse: false },
  ]);
};
