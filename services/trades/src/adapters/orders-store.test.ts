import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, type Order } from '@kupala/trade-model';
import { mockClient } from 'aws-sdk-client-mock';
import { buildOrdersStore } from './orders-store';

const TABLE = 'kupala-test-trades';
const ORDER_ID = '01J0000000000000000000RDR1';
const dynamo = mockClient(DynamoDBDocumentClient);
const store = () => buildOrdersStore(createDocumentClient(), TABLE);

const order: Order = {
  orderId: ORDER_ID,
  side: 'BUY',
  instrument: { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD', multiplier: '1' },
  instrumentKey: 'EQUITY:AAPL:USD',
  quantity: '10',
  currency: 'USD',
  filledQuantity: '0',
  averagePrice: null,
  status: 'OPEN',
  fills: [],
  allocations: [],
  createdAt: '2026-03-02T14:00:00.000Z',
  updatedAt: '2026-03-02T14:00:00.000Z',
};
const item = (revision: number, extra: Record<string, unknown> = {}) => ({
  pk: 'USER#alice#ORDERS',
  sk: `ORDER#${ORDER_ID}`,
  entity: 'ORDER',
  ownerSub: 'alice',
  ...order,
  revision,
  ...extra,
});
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });
/** The input the store sent with the index-th call of a command. */
const inputOf = (calls: { args: readonly unknown[] }[], index = 0) =>
  (calls[index]?.args[0] as { input?: Record<string, unknown> } | undefined)?.input;
const putInput = (index: number) => inputOf(dynamo.commandCalls(PutCommand), index);

beforeEach(() => dynamo.reset());

describe('orders store', () => {
  it('creates an order at revision 1 under the owner-first key, never over an existing one', async () => {
    dynamo.on(PutCommand).resolves({});
    await store().createOrder('alice', order);
    expect(putInput(0)).toEqual({
      TableName: TABLE,
      Item: item(1),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it("reads consistently under the caller's key, hiding the store's own attributes", async () => {
    dynamo.on(GetCommand).resolves({ Item: item(3, { bookingPending: true }) });
    expect(await store().getOrder('alice', ORDER_ID)).toEqual({ order, revision: 3, bookingPending: true });
    expect(inputOf(dynamo.commandCalls(GetCommand))).toEqual({
      TableName: TABLE,
      Key: { pk: 'USER#alice#ORDERS', sk: `ORDER#${ORDER_ID}` },
      ConsistentRead: true,
    });
  });

  it('replaces only at the expected revision and reports a lost race as false', async () => {
    dynamo.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    const next: Order = { ...order, status: 'ALLOCATED' };
    expect(await store().replaceOrder('alice', next, 4, { bookingPending: true })).toBe(true);
    expect(putInput(0)).toMatchObject({
      Item: { ...item(5, { bookingPending: true }), status: 'ALLOCATED' },
      ConditionExpression: 'attribute_exists(pk) AND revision = :expected',
      ExpressionAttributeValues: { ':expected': 4 },
    });
    expect(await store().replaceOrder('alice', next, 4)).toBe(false);
  });

  it('retries a change on the latest order when a concurrent change wins, then gives up', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: item(1) })
      .resolvesOnce({ Item: item(2) })
      .resolves({ Item: item(3) });
    dynamo.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    const seen: number[] = [];
    const outcome = await store().updateOrder('alice', ORDER_ID, (current) => {
      seen.push(seen.length);
      return { ...current, note: 'changed' };
    });
    expect(outcome).toEqual({ kind: 'OK', order: { ...order, note: 'changed' } });
    expect(putInput(1)?.ExpressionAttributeValues).toEqual({ ':expected': 2 });
    expect(seen).toHaveLength(2);

    dynamo.reset();
    dynamo.on(GetCommand).resolves({ Item: item(1) });
    dynamo.on(PutCommand).rejects(conditionFailed());
    expect(await store().updateOrder('alice', ORDER_ID, (current) => current)).toEqual({ kind: 'CONTENDED' });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(5);
  });

  it('answers NOT_FOUND for an order the caller does not have, and lets other failures through', async () => {
    dynamo.on(GetCommand).resolves({});
    expect(await store().updateOrder('mallory', ORDER_ID, (current) => current)).toEqual({
      kind: 'NOT_FOUND',
    });
    dynamo.on(PutCommand).rejects(new Error('throttled'));
    await expect(store().replaceOrder('alice', order, 1)).rejects.toThrow('throttled');
  });

  it('clears the pending booking mark of an existing order', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await store().finishBooking('alice', ORDER_ID);
    expect(inputOf(dynamo.commandCalls(UpdateCommand))).toEqual({
      TableName: TABLE,
      Key: { pk: 'USER#alice#ORDERS', sk: `ORDER#${ORDER_ID}` },
      UpdateExpression: 'REMOVE bookingPending',
      ConditionExpression: 'attribute_exists(pk)',
    });
  });
});
