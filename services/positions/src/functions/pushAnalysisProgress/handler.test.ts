import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { fakeMessenger, type SentMessage } from '../../testing/fake-messenger';
import { buildHandler } from './handler';

const ALICE = '11111111-2222-3333-4444-555555555555';
const ANALYSIS_ID = '01JCAAAAAAAAAAAAAAAAAAAAAA';
const NOW = new Date('2026-11-24T10:00:00.000Z');

// An ANALYSIS item as ml-analysis's analyses store writes it (key, entity, then the Analysis itself).
const analysisItem = (status: string, completed: number, total: number) => ({
  pk: `USER#${ALICE}`,
  sk: `ANALYSIS#${ANALYSIS_ID}`,
  entity: 'ANALYSIS',
  analysisId: ANALYSIS_ID,
  datasetId: '01JCBBBBBBBBBBBBBBBBBBBBBB',
  target: 'y',
  task: 'regression',
  folds: 5,
  budgetSeconds: 600,
  seed: 42,
  status,
  progress: { completed, total },
  leaderboard: [],
  bestModel: null,
  skipped: [],
  createdAt: '2026-11-24T09:59:59.000Z',
  updatedAt: `2026-11-24T10:00:0${completed}.000Z`,
});

const record = (sequence: string, image: Record<string, unknown>): DynamoDBRecord => ({
  eventName: 'MODIFY',
  dynamodb: {
    SequenceNumber: sequence,
    NewImage: marshall(image) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
  },
});

const handlerWith = (sent: SentMessage[], connectionsOf: (sub: string) => Promise<string[]>) =>
  buildHandler(() => ({
    messenger: fakeMessenger(sent),
    forgetConnection: async () => undefined,
    connectionsOf,
    now: () => NOW,
  }));

describe('pushAnalysisProgress', () => {
  it('pushes model i of n and the status, in order, to every open connection of the run owner', async () => {
    const sent: SentMessage[] = [];
    const asked: string[] = [];
    const handler = handlerWith(sent, async (sub) => {
      asked.push(sub);
      return ['conn-1=', 'conn-2='];
    });
    const event: DynamoDBStreamEvent = {
      Records: [
        record('100', analysisItem('PENDING', 0, 0)),
        record('200', analysisItem('RUNNING', 2, 5)),
        record('300', analysisItem('SUCCEEDED', 5, 5)),
      ],
    };

    const result = await handler(event);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(asked).toEqual([ALICE, ALICE, ALICE]);
    // progress: 0 of 0 planned is 0; 2 / 5 = 0.4; 5 / 5 = 1
    expect(sent.filter((entry) => entry.connectionId === 'conn-1=').map((entry) => entry.message)).toEqual([
      {
        type: 'analysis.progress',
        analysisId: ANALYSIS_ID,
        status: 'PENDING',
        progress: 0,
        completed: 0,
        total: 0,
        updatedAt: '2026-11-24T10:00:00.000Z',
      },
      {
        type: 'analysis.progress',
        analysisId: ANALYSIS_ID,
        status: 'RUNNING',
        progress: 0.4,
        completed: 2,
        total: 5,
        updatedAt: '2026-11-24T10:00:02.000Z',
      },
      {
        type: 'analysis.progress',
        analysisId: ANALYSIS_ID,
        status: 'SUCCEEDED',
        progress: 1,
        completed: 5,
        total: 5,
        updatedAt: '2026-11-24T10:00:05.000Z',
      },
    ]);
    expect(sent.filter((entry) => entry.connectionId === 'conn-2=')).toHaveLength(3);
  });

  it('skips family items, a forged owner, an item that does not fit, and pushes the rest', async () => {
    const sent: SentMessage[] = [];
    const asked: string[] = [];
    const handler = handlerWith(sent, async (sub) => {
      asked.push(sub);
      return ['conn-1='];
    });
    const event: DynamoDBStreamEvent = {
      Records: [
        record('100', {
          ...analysisItem('RUNNING', 1, 5),
          sk: `ANALYSIS#${ANALYSIS_ID}#MODEL#ridge`,
          entity: 'ANALYSIS_FAMILY',
        }),
        // the key names no user: never pushed to whoever the body names
        record('200', { ...analysisItem('RUNNING', 1, 5), pk: 'PORTFOLIO#x', ownerSub: ALICE }),
        record('300', { ...analysisItem('RUNNING', 1, 5), analysisId: '01JCCCCCCCCCCCCCCCCCCCCCCC' }),
        record('400', { ...analysisItem('RUNNING', 1, 5), status: 'EXPLODED' }),
        record('500', analysisItem('FAILED', 3, 5)),
      ],
    };

    const result = await handler(event);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(asked).toEqual([ALICE]);
    expect(sent.map((entry) => entry.message)).toEqual([
      expect.objectContaining({
        type: 'analysis.progress',
        status: 'FAILED',
        completed: 3,
        total: 5,
        progress: 0.6,
      }),
    ]);
  });

  it('reports the record whose connections cannot be read, and stops there to keep the order', async () => {
    const sent: SentMessage[] = [];
    let calls = 0;
    const handler = handlerWith(sent, async () => {
      calls += 1;
      if (calls === 2) throw new Error('ProvisionedThroughputExceededException');
      return ['conn-1='];
    });
    const event: DynamoDBStreamEvent = {
      Records: [
        record('100', analysisItem('RUNNING', 1, 5)),
        record('200', analysisItem('RUNNING', 2, 5)),
        record('300', analysisItem('RUNNING', 3, 5)),
      ],
    };

    const result = await handler(event);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    expect(sent.map((entry) => entry.message)).toEqual([expect.objectContaining({ completed: 1 })]);
  });
});
