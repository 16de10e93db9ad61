import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, RetriesExhaustedError } from '@kupala/trade-model';
import { mockClient } from 'aws-sdk-client-mock';
import { buildManualPricesStore } from './manual-prices-store';

const TABLE = 'kupala-test-market-data';
const dynamo = mockClient(DynamoDBDocumentClient);
const noBackoff = { concurrency: 4, maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 };
const store = () => buildManualPricesStore(createDocumentClient(), TABLE, noBackoff);

const day = (offset: number) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);
const closes = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ date: day(index), close: `${index + 1}` }));
type Put = { PutRequest: { Item: Record<string, unknown> } };
const putsOf = (call: { args: [unknown] }) =>
  ((call.args[0] as BatchWriteCommand).input.RequestItems?.[TABLE] ?? []) as Put[];

beforeEach(() => dynamo.reset());

describe('manual prices store', () => {
  it('writes 60 closes as batches of 25, 25 and 10 under the owner-first key', async () => {
    dynamo.on(BatchWriteCommand).resolves({});
    const written = await store().writeCloses('alice', 'AAPL', 'USD', closes(60), '2026-11-24T10:00:00.000Z');
    expect(written).toBe(60);
    const calls = dynamo.commandCalls(BatchWriteCommand);
    expect(calls.map((call) => putsOf(call).length).sort((a, b) => b - a)).toEqual([25, 25, 10]);
    const items = calls.flatMap((call) => putsOf(call).map((put) => put.PutRequest.Item));
    expect(new Set(items.map((item) => item.sk)).size).toBe(60);
    expect(items[0]).toEqual({
      pk: 'USER#alice#PRICE#AAPL',
      sk: 'DATE#2026-01-01',
      entity: 'PRICE_CLOSE',
      ownerSub: 'alice',
      symbol: 'AAPL',
      date: '2026-01-01',
      close: '1',
      currency: 'USD',
      source: 'manual',
      updatedAt: '2026-11-24T10:00:00.000Z',
    });
  });

  it('retries exactly the items DynamoDB left unprocessed', async () => {
    const leftOver = (count: number) => ({
      UnprocessedItems: {
        [TABLE]: closes(count).map((close) => ({ PutRequest: { Item: { sk: `DATE#${close.date}` } } })),
      },
    });
    dynamo.on(BatchWriteCommand).resolvesOnce(leftOver(2)).resolvesOnce(leftOver(1)).resolves({});
    await store().writeCloses('alice', 'AAPL', 'USD', closes(3), '2026-11-24T10:00:00.000Z');
    expect(dynamo.commandCalls(BatchWriteCommand).map((call) => putsOf(call).length)).toEqual([3, 2, 1]);
  });

  it('fails loudly when items stay unprocessed after the last attempt', async () => {
    dynamo.on(BatchWriteCommand).resolves({
      UnprocessedItems: { [TABLE]: [{ PutRequest: { Item: { sk: 'DATE#2026-01-01' } } }] },
    });
    await expect(store().writeCloses('alice', 'AAPL', 'USD', closes(1), 'now')).rejects.toBeInstanceOf(
      RetriesExhaustedError,
    );
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });

  it('reports the currency a series already has when another one is claimed', async () => {
    const failure = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
      Item: { currency: { S: 'EUR' } },
    });
    dynamo.on(UpdateCommand).rejects(failure);
    await expect(store().claimCurrency('alice', 'SAP', 'USD', 'now')).resolves.toEqual({
      accepted: false,
      currency: 'EUR',
    });
    const input = dynamo.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(input?.Key).toEqual({ pk: 'USER#alice#PRICE#SAP', sk: 'SERIES' });
  });

  it('queries the newest close only for the latest price', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ date: '2026-03-04', close: '192.1', currency: 'USD' }] });
    await expect(store().latestClose('alice', 'AAPL')).resolves.toEqual({
      date: '2026-03-04',
      close: '192.1',
      currency: 'USD',
    });
    expect(dynamo.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      ScanIndexForward: false,
      Limit: 1,
    });
  });
});
