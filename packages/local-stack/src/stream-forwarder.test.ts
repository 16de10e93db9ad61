import {
  deliverRecords,
  type Invoke,
  type StreamTarget,
  streamArnPlaceholder,
  streamTargets,
} from './stream-forwarder';

const target = (changes: Partial<StreamTarget> = {}): StreamTarget => ({
  functionName: 'kupala-positions-local-applyTradeEvents',
  table: 'kupala-local-trades',
  batchSize: 100,
  startingPosition: 'LATEST',
  filterPatterns: [],
  reportBatchItemFailures: true,
  maximumRetryAttempts: 3,
  ...changes,
});

const records = (...sequences: string[]) =>
  sequences.map((SequenceNumber) => ({ dynamodb: { SequenceNumber } }));
const sequencesOf = (event: unknown) =>
  (event as { Records: { dynamodb: { SequenceNumber: string } }[] }).Records.map(
    (record) => record.dynamodb.SequenceNumber,
  );

/** An invoke that answers from a script, one answer per call, and records the batches it got. */
const scripted = (answers: Awaited<ReturnType<Invoke>>[]) => {
  const batches: string[][] = [];
  const invoke: Invoke = async (_name, event) => {
    batches.push(sequencesOf(event));
    return answers.shift() ?? { ok: true, failedSequences: [] };
  };
  return { invoke, batches };
};

const noWait = { backoffMs: (attempt: number) => attempt * 100, wait: async () => undefined };

describe('streamTargets', () => {
  it('reads each dynamodb stream event of a resolved configuration', () => {
    const config = {
      service: { name: 'kupala-positions' },
      functions: {
        pushImportProgress: {
          handler: 'x.main',
          events: [
            {
              stream: {
                type: 'dynamodb',
                arn: streamArnPlaceholder('tradestable'),
                batchSize: 25,
                startingPosition: 'LATEST',
                maximumRetryAttempts: 2,
                functionResponseType: 'ReportBatchItemFailures',
                filterPatterns: [{ dynamodb: { NewImage: { entity: { S: ['IMPORT'] } } } }],
              },
            },
          ],
        },
        revalue: {
          handler: 'y.main',
          events: [
            {
              stream:
                'arn:aws:dynamodb:us-east-1:000000000000:table/kupala-local-market-data/stream/2026-12-04T10:00:00.000',
            },
          ],
        },
        ping: { handler: 'z.main', events: [{ websocket: { route: 'ping' } }] },
      },
    };

    expect(streamTargets(config, 'local')).toEqual([
      {
        functionName: 'kupala-positions-local-pushImportProgress',
        table: 'tradestable',
        batchSize: 25,
        startingPosition: 'LATEST',
        filterPatterns: [{ dynamodb: { NewImage: { entity: { S: ['IMPORT'] } } } }],
        reportBatchItemFailures: true,
        maximumRetryAttempts: 2,
      },
      {
        functionName: 'kupala-positions-local-revalue',
        table: 'kupala-local-market-data',
        batchSize: 100,
        startingPosition: 'LATEST',
        filterPatterns: [],
        reportBatchItemFailures: false,
        maximumRetryAttempts: 3,
      },
    ]);
  });
});

describe('deliverRecords', () => {
  it('sends records in order, in batches of batchSize', async () => {
    const { invoke, batches } = scripted([]);

    await deliverRecords(target({ batchSize: 2 }), records('1', '2', '3'), invoke, () => undefined, noWait);

    expect(batches).toEqual([['1', '2'], ['3']]);
  });

  it('retries from the first reported failure, then moves on to the next batch', async () => {
    const { invoke, batches } = scripted([
      { ok: true, failedSequences: ['3', '4'] },
      { ok: true, failedSequences: [] },
    ]);

    await deliverRecords(
      target({ batchSize: 4 }),
      records('1', '2', '3', '4', '5'),
      invoke,
      () => undefined,
      noWait,
    );

    expect(batches).toEqual([['1', '2', '3', '4'], ['3', '4'], ['5']]);
  });

  it('retries the whole batch after an unhandled error, and gives up after maximumRetryAttempts', async () => {
    const errors: string[] = [];
    const waits: number[] = [];
    const failing = { ok: false as const, reason: 'HTTP 200: Unhandled' };
    const { invoke, batches } = scripted([failing, failing, failing]);

    await deliverRecords(
      target({ maximumRetryAttempts: 2 }),
      records('1', '2'),
      invoke,
      (message) => errors.push(message),
      {
        backoffMs: (attempt) => attempt * 100,
        wait: async (ms) => {
          waits.push(ms);
        },
      },
    );

    // first call + 2 retries, waits of 100 and 200 ms between them
    expect(batches).toEqual([
      ['1', '2'],
      ['1', '2'],
      ['1', '2'],
    ]);
    expect(waits).toEqual([100, 200]);
    expect(errors).toEqual([
      expect.stringContaining('gave up on 2 record(s) after 3 attempts (HTTP 200: Unhandled)'),
    ]);
  });

  it('ignores reported failures when the event does not ask for ReportBatchItemFailures', async () => {
    const { invoke, batches } = scripted([{ ok: true, failedSequences: ['1'] }]);

    await deliverRecords(
      target({ reportBatchItemFailures: false }),
      records('1', '2'),
      invoke,
      () => undefined,
      noWait,
    );

    expect(batches).toEqual([['1', '2']]);
  });
});
