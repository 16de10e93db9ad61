import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, itemReader, type Order, OrderSchema } from '@kupala/trade-model';

/** An order with what only the store needs: its revision (optimistic concurrency) and booking state. */
export interface StoredOrder {
  order: Order;
  revision: number;
  /** Set when the order became ALLOCATED and cleared once every allocation trade is booked. */
  bookingPending: boolean;
}

export type OrderUpdateOutcome = { kind: 'OK'; order: Order } | { kind: 'NOT_FOUND' } | { kind: 'CONTENDED' };

// Owner-first like every key of the table: another user's order id simply addresses nothing.
const ordersKey = (sub: string) => `USER#${sub}#ORDERS`;
const orderSortKey = (orderId: string) => `ORDER#${orderId}`;

const toOrder = itemReader<Order>(OrderSchema);

const toStoredOrder = (item: Record<string, unknown>): StoredOrder => ({
  order: toOrder(item),
  revision: Number(item.revision),
  bookingPending: item.bookingPending === true,
});

const MAX_UPDATE_ATTEMPTS = 5;

/**
 * Block orders in the Trades table: one item per order (`USER#<sub>#ORDERS` / `ORDER#<orderId>`, entity
 * ORDER) holding its fills and allocations; every change is a conditional put on the item's `revision`.
 */
export const buildOrdersStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const key = (sub: string, orderId: string) => ({ pk: ordersKey(sub), sk: orderSortKey(orderId) });

  const getOrder = async (sub: string, orderId: string): Promise<StoredOrder | undefined> => {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: key(sub, orderId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toStoredOrder(Item);
  };

  /** Replaces the order if its revision is still `expectedRevision`; false when another change won. */
  const replaceOrder = async (
    sub: string,
    order: Order,
    expectedRevision: number,
    options: { bookingPending?: boolean } = {},
  ): Promise<boolean> => {
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...key(sub, order.orderId),
            entity: 'ORDER',
            ownerSub: sub,
            ...order,
            revision: expectedRevision + 1,
            ...(options.bookingPending === true ? { bookingPending: true } : {}),
          },
          ConditionExpression: 'attribute_exists(pk) AND revision = :expected',
          ExpressionAttributeValues: { ':expected': expectedRevision },
        }),
      );
      return true;
    } catch (error: unknown) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };

  return {
    getOrder,
    replaceOrder,

    async createOrder(sub: string, order: Order): Promise<void> {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key(sub, order.orderId), entity: 'ORDER', ownerSub: sub, ...order, revision: 1 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    /**
     * Read-change-write with retries when concurrent changes win the race (e.g. fills streaming in);
     * `change` sees the latest order each time and may throw to refuse it.
     */
    async updateOrder(
      sub: string,
      orderId: string,
      change: (order: Order) => Order,
    ): Promise<OrderUpdateOutcome> {
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt += 1) {
        const stored = await getOrder(sub, orderId);
        if (stored === undefined) return { kind: 'NOT_FOUND' };
        const next = change(stored.order);
        if (await replaceOrder(sub, next, stored.revision)) return { kind: 'OK', order: next };
      }
      return { kind: 'CONTENDED' };
    },

    /** Every allocation trade is booked: the order needs no more attention. */
    async finishBooking(sub: string, orderId: string): Promise<void> {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(sub, orderId),
          UpdateExpression: 'REMOVE bookingPending',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    },
  };
};

export type OrdersStore = ReturnType<typeof buildOrdersStore>;
