import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { fakeMessenger, type SentMessage } from '../../testing/fake-messenger';
import { buildHandler } from './handler';

const ALICE = '11111111-2222-3333-4444-555555555555';
const PORTFOLIO_ID = '01JC9Z8Y7X6W5V4T3S2R1Q0P9N';
const IMPORT_ID = '01JCAAAAAAAAAAAAAAAAAAAAAA';
const NOW = new Date('2026-11-24T10:00:00.000Z');

const importItem = (status: string, rowsRead: number) => ({
  pk: `USER#${ALICE}#PORTFOLIO#${PORTFOLIO_ID}`,
  sk: `IMPORT#${IMPORT_ID}`,
  entity: 'IMPORT',
  importId: IMPORT_ID,
  portfolioId: PORTFOLIO_ID,
  status,
  rows: 0,
  imported: 0,
  duplicates: 0,
  skipped: 0,
  errors: [],
  progress: { rowsRead },
  updatedAt: `2026-11-24T10:00:0${rowsRead}.000Z`,
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

describe('pushImportProgress', () => {
  it('pushes each IMPORT change, in order, to every open connection of the importing user', async () => {
    // Arrange
    const sent: SentMessage[] = [];
    const asked: string[] = [];
    const handler = handlerWith(sent, async (sub) => {
      asked.push(sub);
      return ['conn-1=', 'conn-2='];
    });
    const event: DynamoDBStreamEvent = {
      Records: [record('100', importItem('RUNNING', 1)), record('200', importItem('RUNNING', 2))],
    };

    // Act
    const result = await handler(event);

    // Assert
    expect(result).toEqual({ batchItemFailures: [] });
    expect(asked).toEqual([ALICE, ALICE]);
    expect(
      sent.map((entry) => [
        entry.connectionId,
        entry.message.type === 'import.progress' && entry.message.rowsRead,
      ]),
    ).toEqual([
      ['conn-1=', 1],
      ['conn-2=', 1],
      ['conn-1=', 2],
      ['conn-2=', 2],
    ]);
  });

  it('skips a malformed record and a TRADE record, and pushes the rest', async () => {
    const sent: SentMessage[] = [];
    const handler = handlerWith(sent, async () => ['conn-1=']);
    const event: DynamoDBStreamEvent = {
      Records: [
        record('100', { ...importItem('RUNNING', 1), pk: 'USER#someone' }),
        record('200', { ...importItem('RUNNING', 1), entity: 'TRADE' }),
        record('300', importItem('SUCCEEDED', 3)),
      ],
    };

    const result = await handler(event);

    expect(result).toEqual({ batchItemFailures: [] });
    expect(sent.map((entry) => entry.message)).toEqual([
      expect.objectContaining({ type: 'import.progress', status: 'SUCCEEDED' }),
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
        record('100', importItem('RUNNING', 1)),
        record('200', importItem('RUNNING', 2)),
        record('300', importItem('SUCCEEDED', 3)),
      ],
    };

    const result = await handler(event);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    expect(sent).toHaveLength(1);
  });
});
