import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createDocumentClient } from './dynamodb';
import { ServiceUnavailableError } from './http/errors';
import { buildIdempotencyStore } from './idempotency-store';
import {
  backoffDelay,
  batchGetAll,
  batchWriteAll,
  batchWriteChunk,
  RetriesExhaustedError,
  type RetryPolicy,
  retryWithBackoff,
  transactWrite,
} from './retry';

const TABLE = 'kupala-test-retry';
const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());

/** A policy that records its waits instead of sleeping, with a fixed jitter draw. */
const recording = (maxAttempts: number, draw = 0.5) => {
  const waits: number[] = [];
  const policy: RetryPolicy = {
    maxAttempts,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => draw,
    wait: async (ms) => {
      waits.push(ms);
    },
  };
  return { policy, waits };
};

const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

describe('retryWithBackoff', () => {
  it('backs off exponentially with full jitter under a ceiling', () => {
    // ceilings 100, 200, 400, 800, then capped at 1000; a draw of 0.5 waits half of each
    const { policy } = recording(10, 0.5);
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, policy))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    // the jitter spans [0, ceiling): a draw just under 1 stays under the ceiling, 0 waits nothing
    expect(backoffDelay(3, { ...policy, random: () => 0.999 })).toBe(399);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
  });

  it('gives up after maxAttempts with an error that maps to 503', async () => {
    const { policy, waits } = recording(4);
    let calls = 0;
    const run = retryWithBackoff(
      'test operation',
      async () => {
        calls += 1;
        return { done: false, cause: named('ThrottlingException') };
      },
      policy,
    );
    await expect(run).rejects.toBeInstanceOf(RetriesExhaustedError);
    await expect(run).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(run).rejects.toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', attempts: 4 });
    expect(calls).toBe(4);
    // three waits between four attempts: 0.5 x 100, 200, 400
    expect(waits).toEqual([50, 100, 200]);
  });

  it('returns as soon as an attempt is done, and lets thrown errors through untouched', async () => {
    const { policy, waits } = recording(5);
    let calls = 0;
    await expect(
      retryWithBackoff(
        'op',
        async () => (++calls < 3 ? { done: false } : { done: true, value: 'ok' }),
        policy,
      ),
    ).resolves.toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toHaveLength(2);
    await expect(
      retryWithBackoff(
        'op',
        async () => {
          throw named('ValidationException');
        },
        policy,
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('DynamoDB batch and transaction retries', () => {
  it('retries exactly the unprocessed writes, then gives up with 503', async () => {
    const leftover = (sks: string[]) => ({
      UnprocessedItems: { [TABLE]: sks.map((sk) => ({ DeleteRequest: { Key: { pk: 'p', sk } } })) },
    });
    dynamo
      .on(BatchWriteCommand)
      .resolvesOnce(leftover(['b', 'c']))
      .resolvesOnce(leftover(['c']))
      .resolves({});
    const requests = ['a', 'b', 'c'].map((sk) => ({ DeleteRequest: { Key: { pk: 'p', sk } } }));
    await batchWriteChunk(createDocumentClient(), TABLE, requests, recording(5).policy);
    const sizes = dynamo
      .commandCalls(BatchWriteCommand)
      .map((call) => call.args[0].input.RequestItems?.[TABLE]?.length);
    expect(sizes).toEqual([3, 2, 1]);

    dynamo.reset();
    dynamo.on(BatchWriteCommand).resolves(leftover(['a']));
    await expect(
      batchWriteChunk(createDocumentClient(), TABLE, requests, recording(3).policy),
    ).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });

  it('writes every chunk of 25 once, with no more calls in flight than asked', async () => {
    let inFlight = 0;
    let peak = 0;
    dynamo.on(BatchWriteCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return {};
    });
    // 130 requests = 5 chunks of 25 and one of 5
    const requests = Array.from({ length: 130 }, (_, index) => ({
      PutRequest: { Item: { pk: 'p', sk: `s${String(index).padStart(3, '0')}` } },
    }));
    await batchWriteAll(createDocumentClient(), TABLE, requests, recording(2).policy, 3);
    const calls = dynamo.commandCalls(BatchWriteCommand);
    expect(calls.map((call) => call.args[0].input.RequestItems?.[TABLE]?.length)).toEqual([
      25, 25, 25, 25, 25, 5,
    ]);
    const written = calls.flatMap((call) =>
      (call.args[0].input.RequestItems?.[TABLE] ?? []).map((request) => request.PutRequest?.Item?.sk),
    );
    expect(new Set(written).size).toBe(130);
    expect(peak).toBe(3);
  });

  it('reads unprocessed keys again and keeps every item found', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [{ sk: 'a' }] },
        UnprocessedKeys: { [TABLE]: { Keys: [{ pk: 'p', sk: 'b' }] } },
      })
      .resolves({ Responses: { [TABLE]: [{ sk: 'b' }] } });
    const found = await batchGetAll(
      createDocumentClient(),
      TABLE,
      [
        { pk: 'p', sk: 'a' },
        { pk: 'p', sk: 'b' },
      ],
      'sk',
      recording(3).policy,
    );
    expect(found).toEqual([{ sk: 'a' }, { sk: 'b' }]);
  });

  it('retries transaction conflicts, answers refusals with their reasons', async () => {
    const cancelled = (codes: string[]) =>
      named('TransactionCanceledException', { CancellationReasons: codes.map((Code) => ({ Code })) });
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'TransactionConflict']))
      .rejectsOnce(named('ThrottlingException'))
      .resolves({});
    const { policy, waits } = recording(5);
    await expect(transactWrite(createDocumentClient(), [], policy)).resolves.toBeUndefined();
    expect(waits).toHaveLength(2);

    dynamo.reset();
    dynamo.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));
    await expect(transactWrite(createDocumentClient(), [], policy)).resolves.toEqual([
      'ConditionalCheckFailed',
      'None',
    ]);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(1);

    dynamo.reset();
    dynamo.on(TransactWriteCommand).rejects(cancelled(['TransactionConflict']));
    await expect(transactWrite(createDocumentClient(), [], recording(3).policy)).rejects.toMatchObject({
      statusCode: 503,
    });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('bounds the idempotency reservation when the record keeps vanishing between put and read', async () => {
    dynamo.on(PutCommand).rejects(named('ConditionalCheckFailedException'));
    dynamo.on(GetCommand).resolves({});
    const store = buildIdempotencyStore(createDocumentClient(), TABLE, () => 1000, recording(4).policy);
    await expect(store.reserve({ sub: 's', operationId: 'op', key: 'k' }, 'hash')).rejects.toMatchObject({
      statusCode: 503,
    });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(4);
  });
});
