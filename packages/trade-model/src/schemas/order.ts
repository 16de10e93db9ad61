import * as z from '../zod';
import { InstrumentSchema } from './instrument';
import { documentedWith } from './json-schema';
import {
  boundedText,
  CurrencySchema,
  DecimalSchema,
  EARLIEST_DATE,
  IdSchema,
  LATEST_DATE,
  NonNegativeDecimalSchema,
  PositiveDecimalSchema,
  TimestampSchema,
} from './primitives';

export const ORDER_SIDES = ['BUY', 'SELL', 'SELL_SHORT', 'BUY_TO_COVER'] as const;
/** The trade type every allocation of the order books. */
export const OrderSideSchema = z.enum(ORDER_SIDES);
export type OrderSide = z.infer<typeof OrderSideSchema>;

export const ORDER_STATUSES = ['OPEN', 'FILLED', 'ALLOCATED'] as const;
/** OPEN until the fills reach the order quantity (FILLED); ALLOCATED once split across portfolios. */
export const OrderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const MAX_FILLS_PER_ORDER = 500;
export const MAX_ALLOCATIONS = 100;

/**
 * Body of `POST /orders`: a block order for one instrument, to be allocated across portfolios once filled.
 * Example: `{"side":"BUY","instrument":{"assetClass":"EQUITY","symbol":"AAPL","currency":"USD"},
 * "quantity":"1000","currency":"USD","limitPrice":"190"}`.
 */
export const CreateOrderBodySchema = z
  .strictObject({
    side: OrderSideSchema,
    instrument: InstrumentSchema,
    quantity: PositiveDecimalSchema,
    currency: CurrencySchema,
    limitPrice: z.optional(PositiveDecimalSchema),
    note: z.optional(boundedText(1000)),
  })
  .check(
    z.refine((body) => body.currency === body.instrument.currency, {
      message: "must equal the instrument's currency",
      path: ['currency'],
    }),
  );
documentedWith(CreateOrderBodySchema, {
  description: "Rule across fields (400 at `currency`): it must equal the instrument's currency.",
});
export type CreateOrderBody = z.infer<typeof CreateOrderBodySchema>;

/** An execution time, ISO-8601 UTC, whose date lies in the contract's date range (it becomes a tradeDate). */
const FillTimeSchema = documentedWith(
  TimestampSchema.check(
    z.refine(
      (time) => time.slice(0, 10) >= EARLIEST_DATE && time.slice(0, 10) <= LATEST_DATE,
      `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`,
    ),
  ),
  {
    description: `An ISO-8601 UTC timestamp; its date must be between ${EARLIEST_DATE} and ${LATEST_DATE}.`,
  },
);

/**
 * Body of `POST /orders/{orderId}/fills`: one execution. `time` defaults to now; `externalId` (the broker's
 * execution id) is unique within the order. Example: `{"quantity":"400","price":"189.95","time":"2026-03-02T14:31:05Z"}`.
 */
export const AddFillBodySchema = z.strictObject({
  quantity: PositiveDecimalSchema,
  price: NonNegativeDecimalSchema,
  time: z.optional(FillTimeSchema),
  externalId: z.optional(boundedText(128)),
});
export type AddFillBody = z.infer<typeof AddFillBodySchema>;

/** One portfolio's share of an order. Example: `{"portfolioId":"01J…","quantity":"250"}`. */
export const AllocationInputSchema = z.strictObject({
  portfolioId: IdSchema,
  quantity: PositiveDecimalSchema,
});
export type AllocationInput = z.infer<typeof AllocationInputSchema>;

/**
 * Body of `POST /orders/{orderId}/allocations`: 1 to 100 distinct portfolios of the caller whose quantities
 * sum exactly to the filled quantity. Example: `{"allocations":[{"portfolioId":"01J…","quantity":"600"},
 * {"portfolioId":"01J…","quantity":"400"}]}`.
 */
export const AllocateOrderBodySchema = documentedWith(
  z.strictObject({
    allocations: z.array(AllocationInputSchema).check(
      z.minLength(1),
      z.maxLength(MAX_ALLOCATIONS),
      z.superRefine((allocations, ctx) => {
        const seen = new Set<string>();
        allocations.forEach((allocation, index) => {
          if (seen.has(allocation.portfolioId)) {
            ctx.issues.push({
              code: 'custom',
              path: [index, 'portfolioId'],
              message: 'repeats an earlier allocation: each portfolio appears once',
              input: allocation,
            });
          }
          seen.add(allocation.portfolioId);
        });
      }),
    ),
  }),
  {
    description:
      'Each portfolio appears once, or 400: repeats an earlier allocation: each portfolio appears once. The ' +
      'quantities must sum exactly to the filled quantity.',
  },
);
export type AllocateOrderBody = z.infer<typeof AllocateOrderBodySchema>;

/** One execution of an order as the API returns it. */
export const FillSchema = z.strictObject({
  fillId: IdSchema,
  quantity: z.string(),
  price: z.string(),
  time: TimestampSchema,
  externalId: z.optional(z.string()),
});
export type Fill = z.infer<typeof FillSchema>;

/**
 * One portfolio's allocation: the trade booked for it, its rounded average `price`, `notional` =
 * quantity × price × multiplier, its `fees` (absent without a commission schedule) and the rounding
 * `residual` it carries (non-zero on at most one allocation), so that Σ notional + Σ residual = Σ fill notional.
 */
export const AllocationSchema = z.strictObject({
  portfolioId: IdSchema,
  tradeId: IdSchema,
  quantity: z.string(),
  price: z.string(),
  notional: z.string(),
  residual: DecimalSchema,
  fees: z.optional(z.string()),
});
export type Allocation = z.infer<typeof AllocationSchema>;

/** A block order as the API returns it; `averagePrice` is the fills' volume-weighted average (null before any fill). */
export const OrderSchema = z.strictObject({
  orderId: IdSchema,
  side: OrderSideSchema,
  instrument: InstrumentSchema,
  instrumentKey: z.string(),
  quantity: z.string(),
  currency: CurrencySchema,
  limitPrice: z.optional(z.string()),
  note: z.optional(z.string()),
  filledQuantity: z.string(),
  averagePrice: z.nullable(z.string()),
  status: OrderStatusSchema,
  fills: z.array(FillSchema),
  allocations: z.array(AllocationSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Order = z.infer<typeof OrderSchema>;

export const OrderPathSchema = z.strictObject({ orderId: IdSchema });
