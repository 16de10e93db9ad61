import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, fxRateItem } from '@kupala/trade-model';
import { buildMarketDataReader } from './market-data-reader';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set by the integration setup`);
  return value;
};

/**
 * The FX rates the positions engine reads (base-currency figures), against DynamoDB Local: the same
 * precedence and the same derived inverse as market-data's GET /fx.
 */
describe('market-data reader: FX rates of a pair, against DynamoDB Local', () => {
  const client = createDocumentClient();
  const reader = buildMarketDataReader(client, env('MARKET_DATA_TABLE'));
  const sub = `fx-reader-${Date.now()}`;
  // CZK and HUF: no other test stores a rate of this pair in the shared table
  const store = async (scope: 'manual' | 'feed', base: string, quote: string, date: string, rate: string) =>
    client.send(
      new PutCommand({
        TableName: env('MARKET_DATA_TABLE'),
        Item: fxRateItem({
          scope: scope === 'manual' ? { kind: 'manual', sub } : { kind: 'feed' },
          base,
          quote,
          date,
          rate,
          source: scope === 'manual' ? 'manual' : 'simulated',
        }),
      }),
    );

  it('ranks manual over feed and the pair over its opposite, with the inverse rounded to 12 places', async () => {
    // 02-02: the feed's own 15 against the user's opposite 0.0625 (1 / 0.0625 = 16): the manual one wins
    await store('feed', 'CZK', 'HUF', '2026-02-02', '15');
    await store('manual', 'HUF', 'CZK', '2026-02-02', '0.0625');
    // 02-03: only the feed's opposite 0.06: 1 / 0.06 = 16.666666666666|666… -> half-even at 12 places
    await store('feed', 'HUF', 'CZK', '2026-02-03', '0.06');
    // 02-04: the user's own 17 over the feed's own 18
    await store('feed', 'CZK', 'HUF', '2026-02-04', '18');
    await store('manual', 'CZK', 'HUF', '2026-02-04', '17');

    const rates = await reader.ratesOfPair(sub, 'CZK', 'HUF', '2026-02-02', '2026-02-04');

    expect(Object.fromEntries(rates)).toEqual({
      '2026-02-02': '16',
      '2026-02-03': '16.666666666667',
      '2026-02-04': '17',
    });
  });
});
