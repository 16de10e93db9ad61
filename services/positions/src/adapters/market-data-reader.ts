import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DatedPrice,
  dateSortKey,
  FIRST_DATE_SORT_KEY,
  feedFxPartitionKey,
  feedPricePartitionKey,
  inverseRate,
  LAST_DATE_SORT_KEY,
  latestPriceOf,
  manualFxPartitionKey,
  manualPricePartitionKey,
  QUOTE_SORT_KEY,
} from '@kupala/trade-model';

type Item = Record<string, unknown>;

/** A price a position is valued at: the latest price and the close before it (for the day's P&L). */
export interface PriceMark {
  price: string;
  currency: string;
  /** Date of a close or ISO time of a quote. */
  asOf: string;
  source: string;
  previousClose?: string;
}

/** Rates of one currency pair by date: 1 `from` = rate `to`, manual entries winning over the feed's. */
export type DatedRates = ReadonlyMap<string, string>;

// a rate on or before a date: weekends and holidays take the last rate before them (up to 10 days back)
const RATE_LOOKBACK_DAYS = 10;

const daysBefore = (date: string, days: number): string => {
  const moment = new Date(`${date}T00:00:00Z`);
  moment.setUTCDate(moment.getUTCDate() - days);
  return moment.toISOString().slice(0, 10);
};

/** The rate of `date` from a by-date map: that date's, else the latest within the look-back before it. */
export const rateOn = (rates: DatedRates, date: string): string | undefined => {
  let best: string | undefined;
  let bestDate = daysBefore(date, RATE_LOOKBACK_DAYS);
  for (const [day, rate] of rates) {
    if (day <= date && day >= bestDate) {
      bestDate = day;
      best = rate;
    }
  }
  return best;
};

/**
 * Reads the MarketData table (read-only) through the shared key layout: a user's latest price of a symbol
 * (their manual close wins over the feed's on the same date) and FX rates (the pair as stored or the
 * inverse of the stored opposite pair).
 */
export const buildMarketDataReader = (client: DynamoDBDocumentClient, tableName: string) => {
  const datedItems = async (pk: string, from: string, to: string, limit?: number): Promise<Item[]> => {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
          ScanIndexForward: false,
          ...(limit === undefined ? {} : { Limit: limit }),
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = limit === undefined ? page.LastEvaluatedKey : undefined;
    } while (startKey !== undefined);
    return items;
  };

  /** Rates of base→quote between two dates (inclusive), keyed by date; manual beats feed, stored beats inverse. */
  const ratesOfPair = async (
    sub: string,
    base: string,
    quote: string,
    from: string,
    to: string,
    limit?: number,
  ): Promise<Map<string, string>> => {
    const range = [dateSortKey(from), dateSortKey(to)] as const;
    const [manual, feed, manualInverse, feedInverse] = await Promise.all([
      datedItems(manualFxPartitionKey(sub, base, quote), ...range, limit),
      datedItems(feedFxPartitionKey(base, quote), ...range, limit),
      datedItems(manualFxPartitionKey(sub, quote, base), ...range, limit),
      datedItems(feedFxPartitionKey(quote, base), ...range, limit),
    ]);
    const rates = new Map<string, string>();
    // lowest precedence first, later sets overwrite earlier ones for the same date: as market-data's GET /fx
    // ranks them, the user's manual rate (of the pair, else of its opposite) over the feed's
    for (const [items, invert] of [
      [feedInverse, true],
      [feed, false],
      [manualInverse, true],
      [manual, false],
    ] as const) {
      for (const item of items) {
        const rate = String(item.rate);
        rates.set(String(item.date), invert ? inverseRate(rate) : rate);
      }
    }
    return rates;
  };

  const latestClose = async (pk: string, count: number): Promise<Item[]> =>
    datedItems(pk, FIRST_DATE_SORT_KEY, LAST_DATE_SORT_KEY, count);

  return {
    ratesOfPair: (sub: string, base: string, quote: string, from: string, to: string) =>
      ratesOfPair(sub, base, quote, daysBefore(from, RATE_LOOKBACK_DAYS), to),

    /** The latest rate of base→quote and its date, or undefined when none is stored either way. */
    async latestRate(
      sub: string,
      base: string,
      quote: string,
    ): Promise<{ rate: string; date: string } | undefined> {
      if (base === quote) return { rate: '1', date: '0000-00-00' };
      const rates = await ratesOfPair(sub, base, quote, '0000-00-00', '9999-99-99', 1);
      const [date] = [...rates.keys()].sort().reverse();
      const rate = date === undefined ? undefined : rates.get(date);
      return date === undefined || rate === undefined ? undefined : { rate, date };
    },

    /**
     * The user's latest price of a symbol among their manual close, the feed's latest close and the feed's
     * quote (market-data's `latestPriceOf`), with the previous close of the same series for the day's P&L.
     */
    async latestPrice(sub: string, symbol: string): Promise<PriceMark | undefined> {
      const [manual, feed, quote] = await Promise.all([
        latestClose(manualPricePartitionKey(sub, symbol), 2),
        latestClose(feedPricePartitionKey(symbol), 2),
        client.send(
          new GetCommand({
            TableName: tableName,
            Key: { pk: feedPricePartitionKey(symbol), sk: QUOTE_SORT_KEY },
          }),
        ),
      ]);
      const closeOf = (items: Item[]): DatedPrice | undefined => {
        const item = items[0];
        return item === undefined
          ? undefined
          : {
              price: String(item.close),
              currency: String(item.currency),
              asOf: String(item.date),
              source: String(item.source),
            };
      };
      const quoteItem = quote.Item;
      const feedQuote: DatedPrice | undefined =
        quoteItem === undefined
          ? undefined
          : {
              price: String(quoteItem.price),
              currency: String(quoteItem.currency),
              asOf: String(quoteItem.time),
              source: String(quoteItem.source),
            };
      const manualClose = closeOf(manual);
      const feedClose = closeOf(feed);
      const latest = latestPriceOf({
        ...(manualClose === undefined ? {} : { manualClose }),
        ...(feedClose === undefined ? {} : { feedClose }),
        ...(feedQuote === undefined ? {} : { feedQuote }),
      });
      if (latest === undefined) return undefined;
      const previousClose =
        latest === feedQuote
          ? (quoteItem?.previousClose as string | undefined)
          : latest === manualClose
            ? (manual[1]?.close as string | undefined)
            : (feed[1]?.close as string | undefined);
      return { ...latest, ...(previousClose === undefined ? {} : { previousClose: String(previousClose) }) };
    },
  };
};

export type MarketDataReader = ReturnType<typeof buildMarketDataReader>;
