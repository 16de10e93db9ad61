import {
  DEFAULT_UNIVERSE_SYMBOLS,
  type MarketUniverseBody,
  mapWithConcurrency,
  UNIVERSE_HISTORY_DAYS,
  UnprocessableError,
} from '@kupala/trade-model';
import type { AcceptedFile } from './inline-dataset';
import { type ClosesSeries, MIN_CLOSES_FOR_A_ROW, UNIVERSE_COLUMNS, universeRowsOf } from './market-universe';
import { toCsv } from './views';

/** A daily close as the caller sees it (the feed's, or their manual one winning on its date). */
export interface SeenClose {
  date: string;
  close: string;
  currency: string;
}

/** Read-only access to the market data a user can see (the MarketData table, through trade-model's keys). */
export interface MarketUniverseSource {
  /** A symbol's daily closes between two dates (inclusive), oldest first, one per date. */
  dailyCloses(sub: string, symbol: string, from: string, to: string): Promise<SeenClose[]>;
}

// Symbols read at a time: enough to overlap DynamoDB round trips, few enough to stay under a Lambda's sockets.
const READ_CONCURRENCY = 8;

const daysBefore = (now: string, days: number): string =>
  new Date(Date.parse(now) - days * 86_400_000).toISOString().slice(0, 10);

/**
 * A symbol's closes in the currency of its latest close (a series switching currency has no returns across it);
 * a close that is not a positive number (a feed's 0) is left out, so no return divides by it.
 */
export const seriesOf = (symbol: string, closes: readonly SeenClose[]): ClosesSeries => {
  const currency = closes.at(-1)?.currency;
  const kept = closes
    .filter((close) => close.currency === currency)
    .map((close) => ({ date: close.date, value: Number(close.close) }))
    .filter(({ value }) => Number.isFinite(value) && value > 0);
  return { symbol, dates: kept.map((close) => close.date), closes: kept.map((close) => close.value) };
};

/**
 * Builds the market-universe dataset of `POST /datasets` as a CSV file: the symbols named (or the fixed default
 * list, never the feed's refresh list, which is made of what other users follow), each one's last five years of closes, one row per month end with complete windows. Answers
 * 422 rather than an empty dataset when there is nothing to build from.
 */
export const buildMarketUniverse = async (
  source: MarketUniverseSource,
  sub: string,
  body: MarketUniverseBody,
  now: string,
): Promise<AcceptedFile> => {
  // the schema bounds a named list to 1..MAX_UNIVERSE_SYMBOLS
  const symbols = [...new Set<string>(body.symbols ?? DEFAULT_UNIVERSE_SYMBOLS)].sort();
  const from = daysBefore(now, UNIVERSE_HISTORY_DAYS);
  const to = now.slice(0, 10);
  const series = await mapWithConcurrency(symbols, READ_CONCURRENCY, async (symbol) =>
    seriesOf(symbol, await source.dailyCloses(sub, symbol, from, to)),
  );
  const rows = series.flatMap(universeRowsOf);
  if (rows.length === 0) {
    const longest = Math.max(...series.map((one) => one.closes.length));
    throw new UnprocessableError(
      longest === 0
        ? `No price history for ${symbols.length === 1 ? 'the symbol' : `any of the ${symbols.length} symbols`}: store daily closes first (PUT /instruments/{symbol}/prices)`
        : `Not enough price history: a row needs ${MIN_CLOSES_FOR_A_ROW} daily closes (252 before a month end and 21 after it); the longest series has ${longest}`,
    );
  }
  const csv = toCsv(
    UNIVERSE_COLUMNS.map((column) => column.name),
    rows,
  );
  return {
    shape: { columns: [...UNIVERSE_COLUMNS], rows: rows.length },
    csv,
    sizeBytes: Buffer.byteLength(csv, 'utf8'),
  };
};
