import { defineRoute } from '../http/route';
import {
  AddFillBodySchema,
  AllocateOrderBodySchema,
  CreateOrderBodySchema,
  MAX_FILLS_PER_ORDER,
  OrderPathSchema,
  OrderSchema,
} from '../schemas/order';
import { TradeSchema } from '../schemas/trade';
import * as z from '../zod';

export const createOrderRoute = defineRoute({
  operationId: 'createOrder',
  method: 'POST',
  path: '/orders',
  summary: 'Open a block order for one instrument, to be filled and then allocated across portfolios',
  description:
    "The order starts OPEN with no fills. `currency` must equal the instrument's currency; `side` is the trade " +
    'type every allocation will book.',
  tag: 'Orders',
  auth: true,
  body: CreateOrderBodySchema,
  response: OrderSchema,
  successStatus: 201,
  idempotent: true,
});

export const getOrderRoute = defineRoute({
  operationId: 'getOrder',
  method: 'GET',
  path: '/orders/{orderId}',
  summary: 'Read an order with its fills, average price and allocations',
  tag: 'Orders',
  auth: true,
  params: OrderPathSchema,
  response: OrderSchema,
  successStatus: 200,
});

export const addFillRoute = defineRoute({
  operationId: 'addFill',
  method: 'POST',
  path: '/orders/{orderId}/fills',
  summary: 'Record one execution of an order; answers the updated order',
  description: [
    'Fills may not take the filled quantity above the order quantity (409), an ALLOCATED order takes no',
    `fills (409), an order keeps at most ${MAX_FILLS_PER_ORDER} fills (409) and a broker \`externalId\` is`,
    'unique within the order (409). With a `limitPrice`, a BUY or BUY_TO_COVER fill above it, or a SELL or',
    'SELL_SHORT fill below it, is refused (400). The order becomes FILLED when the fills reach its quantity.',
    '`time` defaults to the time of the request.',
  ].join(' '),
  tag: 'Orders',
  auth: true,
  params: OrderPathSchema,
  body: AddFillBodySchema,
  response: OrderSchema,
  successStatus: 201,
  idempotent: true,
});

export const allocateOrderRoute = defineRoute({
  operationId: 'allocateOrder',
  method: 'POST',
  path: '/orders/{orderId}/allocations',
  summary: 'Allocate the filled quantity across portfolios: one trade per portfolio at the average price',
  description: [
    "Every portfolio must be the caller's (otherwise 404 and nothing is written) and the quantities must sum",
    'exactly to the filled quantity (400 otherwise). An order without fills, or one already allocated, answers',
    '409; an OPEN order allocates what has been filled and takes no further fills.',
    'Each trade has `type` = the order side, `tradeDate` = the UTC date of the latest fill,',
    '`externalId` = `order:<orderId>:<portfolioId>` and `price` = the volume-weighted average of the fills,',
    'exact when it terminates within 12 decimal places, otherwise rounded half-even to 8.',
    'Rounding residual: with a rounded price, Σ quantity × price × multiplier over the allocations differs',
    'from the exact Σ fill notional; that difference is assigned to the allocation with the largest',
    'quantity (ties: the smallest portfolioId) as its `residual`, so that Σ notional + Σ residual equals the',
    "fills' notional exactly. The trades carry the common rounded price.",
    "Commission (`fees`) from each portfolio's commissionSchedule: perShare × quantity (perContract ×",
    'quantity for options and futures) + bpsOfNotional / 10,000 × quantity × price × multiplier, then',
    'clamped to [minimum, maximum], then rounded half-even to 2 decimal places. No schedule: no fees. A',
    'schedule in another currency than the order answers 400 naming the portfolio.',
  ].join(' '),
  tag: 'Orders',
  auth: true,
  params: OrderPathSchema,
  body: AllocateOrderBodySchema,
  response: z.strictObject({ order: OrderSchema, trades: z.array(TradeSchema) }),
  successStatus: 201,
  idempotent: true,
});

/** The orders → fills → allocations operations, in document order. */
export const ORDER_ROUTES = [createOrderRoute, getOrderRoute, addFillRoute, allocateOrderRoute] as const;
