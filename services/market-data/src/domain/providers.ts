/** A latest price as a provider reports it. */
export interface ProviderQuote {
  symbol: string;
  price: string;
  currency: string;
  /** ISO-8601 UTC time of the price at its market. */
  time: string;
  previousClose?: string;
}

/** One daily close (unadjusted: a split shows as a jump, like a broker statement). */
export interface ProviderClose {
  date: string;
  close: string;
}

/** A corporate action a provider reports with its closes. */
export type ProviderEvent =
  | { type: 'SPLIT'; date: string; ratio: string }
  | { type: 'DIVIDEND'; date: string; amount: string };

export interface ProviderHistory {
  currency: string;
  closes: ProviderClose[];
  events: ProviderEvent[];
}

export interface DateRange {
  from: string;
  to: string;
}

/**
 * One source of market data. FX rates are symbols too, in Yahoo's convention: `EURUSD=X` is the price of
 * 1 EUR in USD.
 */
export interface PriceProvider {
  readonly source: string;
  quote(symbol: string, now: Date): Promise<ProviderQuote>;
  dailyCloses(symbol: string, range: DateRange): Promise<ProviderHistory>;
}

export type ProviderFailureKind = 'RATE_LIMITED' | 'NOT_FOUND' | 'UNAVAILABLE';

/** Why a provider could not answer: rate limits and outages are retried, an unknown symbol is not. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly source: string,
    readonly kind: ProviderFailureKind,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${source}: ${message}`, options);
  }
}

/** The FX pair as a provider symbol: 1 base = rate quote. */
export const fxSymbol = (base: string, quote: string): string => `${base}${quote}=X`;
export const FX_SYMBOL = /^([A-Z]{3})([A-Z]{3})=X$/;

/** True for a failure that says the symbol is unknown (a ProviderError or the chain's summary of them). */
export const isNotFoundFailure = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { kind?: unknown }).kind === 'NOT_FOUND';
