import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, priceCloseItem, ValidationError } from '@kupala/trade-model';
import { mockClient } from 'aws-sdk-client-mock';
import { buildMarketDataStore } from './market-data-store';

const TABLE = 'kupala-test-market-data';
const dynamo = mockClient(DynamoDBDocumentClient);
const store = () =>
  buildMarketDataStore(createDocumentClient(), TABLE, {
    concurrency: 1,
    maxAttempts: 2,
    baseDelayMs: 0,
    maxDelayMs: 0,
  });
const cursor = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url');
const close = (scope: 'manual' | 'feed', date: string, value: string) =>
  priceCloseItem({
    scope: scope === 'manual' ? { kind: 'manual', sub: 'alice' } : { kind: 'feed' },
    symbol: 'AAPL',
    date,
    close: value,
    currency: 'USD',
    source: scope === 'manual' ? 'manual' : 'yahoo',
  });

beforeEach(() => dynamo.reset());

describe('market data store', () => {
  it('merges feed and manual closes by date, the manual close winning, and pages by the last date', async () => {
    dynamo
      .on(QueryCommand, {
        ExpressionAttributeValues: {
          ':pk': 'USER#alice#PRICE#AAPL',
          ':from': 'DATE#0000-00-00',
          ':to': 'DATE#9999-99-99',
        },
      })
      .resolves({ Items: [close('manual', '2026-03-03', '5')] })
      .on(QueryCommand, {
        ExpressionAttributeValues: {
          ':pk': 'PRICE#AAPL',
          ':from': 'DATE#0000-00-00',
          ':to': 'DATE#9999-99-99',
        },
      })
      .resolves({
        Items: [
          close('feed', '2026-03-02', '1'),
          close('feed', '2026-03-03', '2'),
          close('feed', '2026-03-04', '3'),
        ],
        LastEvaluatedKey: { pk: 'PRICE#AAPL', sk: 'DATE#2026-03-04' },
      });
    const page = await store().listCloses('alice', 'AAPL', {}, { limit: 3, cursor: undefined });
    expect(page.items).toEqual([
      { date: '2026-03-02', close: '1', currency: 'USD', source: 'yahoo' },
      { date: '2026-03-03', close: '5', currency: 'USD', source: 'manual' },
      { date: '2026-03-04', close: '3', currency: 'USD', source: 'yahoo' },
    ]);
    // the feed has more: the cursor is the last date answered, in the caller's own partition
    expect(JSON.parse(Buffer.from(page.nextCursor ?? '', 'base64url').toString())).toEqual({
      pk: 'USER#alice#PRICE#AAPL',
      sk: 'DATE#2026-03-04',
    });
  });

  it('continues both partitions after the cursor date, and refuses a cursor outside the range or partition', async () => {
    const pk = 'USER#alice#PRICE#AAPL';
    const list = (startKey: object) =>
      store().listCloses(
        'alice',
        'AAPL',
        { from: '2026-03-01', to: '2026-03-31' },
        { limit: 10, cursor: cursor(startKey) },
      );
    await expect(list({ pk, sk: 'SERIES' })).rejects.toBeInstanceOf(ValidationError);
    await expect(list({ pk, sk: 'DATE#2026-04-01' })).rejects.toBeInstanceOf(ValidationError);
    await expect(list({ pk, sk: 'DATE#2026-03-10', extra: 'x' })).rejects.toBeInstanceOf(ValidationError);
    await expect(list({ pk: 'USER#bob#PRICE#AAPL', sk: 'DATE#2026-03-10' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(list({ pk: 'PRICE#AAPL', sk: 'DATE#2026-03-10' })).rejects.toBeInstanceOf(ValidationError);
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);

    dynamo.on(QueryCommand).resolves({ Items: [] });
    const page = await list({ pk, sk: 'DATE#2026-03-10' });
    expect(page).toEqual({ items: [], nextCursor: null });
    expect(dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input.ExclusiveStartKey)).toEqual([
      { pk, sk: 'DATE#2026-03-10' },
      { pk: 'PRICE#AAPL', sk: 'DATE#2026-03-10' },
    ]);
  });

  it('never moves a quote back: an older quote loses to the stored one', async () => {
    const failure = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    });
    dynamo.on(PutCommand).rejectsOnce(failure).resolves({});
    const quote = {
      symbol: 'AAPL',
      price: '1',
      currency: 'USD',
      time: '2026-03-03T15:00:00.000Z',
      source: 'yahoo',
    };
    await expect(store().putFeedQuote(quote)).resolves.toBe(false);
    await expect(store().putFeedQuote(quote)).resolves.toBe(true);
    expect(dynamo.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      Item: { pk: 'PRICE#AAPL', sk: 'QUOTE', entity: 'QUOTE' },
      ConditionExpression: 'attribute_not_exists(pk) OR #time < :time',
      ExpressionAttributeValues: { ':time': '2026-03-03T15:00:00.000Z' },
    });
  });
});
