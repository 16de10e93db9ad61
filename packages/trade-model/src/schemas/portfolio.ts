import { decimalOrUndefined } from '../decimal';
import * as z from '../zod';
import { documentedWith } from './json-schema';
import {
  boundedText,
  CurrencySchema,
  IdSchema,
  NonNegativeDecimalSchema,
  TimestampSchema,
} from './primitives';

export const LOT_METHODS = ['FIFO', 'LIFO', 'HIFO', 'AVERAGE'] as const;
export const LotMethodSchema = z.enum(LOT_METHODS);
export type LotMethod = z.infer<typeof LotMethodSchema>;

/**
 * How a portfolio's commissions are computed on allocations: per share, per contract or basis points of
 * notional (any combination adds up), then clamped to [minimum, maximum]. Amounts in `currency`.
 * Example: `{"currency":"USD","perShare":"0.005","minimum":"1","maximum":"50"}`.
 */
export const CommissionScheduleSchema = documentedWith(
  z
    .strictObject({
      currency: CurrencySchema,
      perShare: z.optional(NonNegativeDecimalSchema),
      perContract: z.optional(NonNegativeDecimalSchema),
      bpsOfNotional: z.optional(NonNegativeDecimalSchema),
      minimum: z.optional(NonNegativeDecimalSchema),
      maximum: z.optional(NonNegativeDecimalSchema),
    })
    .check(
      z.refine(
        (schedule) => {
          const minimum = decimalOrUndefined(schedule.minimum);
          const maximum = decimalOrUndefined(schedule.maximum);
          return minimum === undefined || maximum === undefined || minimum.lte(maximum);
        },
        { message: 'minimum must not exceed maximum', path: ['minimum'] },
      ),
    ),
  { description: 'Rule across fields (400 at `minimum`): minimum must not exceed maximum.' },
);
export type CommissionSchedule = z.infer<typeof CommissionScheduleSchema>;

/** Body of `POST /portfolios`. Example: `{"name":"Core","baseCurrency":"EUR","lotMethod":"FIFO"}`. */
export const CreatePortfolioBodySchema = z.strictObject({
  name: boundedText(100),
  baseCurrency: CurrencySchema,
  lotMethod: z._default(LotMethodSchema, 'FIFO'),
  commissionSchedule: z.optional(CommissionScheduleSchema),
});
export type CreatePortfolioBody = z.infer<typeof CreatePortfolioBodySchema>;

/** Body of `PATCH /portfolios/{portfolioId}`: any subset of the editable fields, at least one. */
export const UpdatePortfolioBodySchema = documentedWith(
  z
    .strictObject({
      name: z.optional(boundedText(100)),
      baseCurrency: z.optional(CurrencySchema),
      lotMethod: z.optional(LotMethodSchema),
      commissionSchedule: z.optional(z.nullable(CommissionScheduleSchema)),
    })
    .check(z.refine((body) => Object.keys(body).length > 0, 'must change at least one field')),
  { minProperties: 1, description: 'Any subset of the editable fields: it must change at least one field.' },
);
export type UpdatePortfolioBody = z.infer<typeof UpdatePortfolioBodySchema>;

/** A portfolio as the API returns it. */
export const PortfolioSchema = z.strictObject({
  portfolioId: IdSchema,
  name: z.string(),
  baseCurrency: CurrencySchema,
  lotMethod: LotMethodSchema,
  commissionSchedule: z.optional(CommissionScheduleSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Portfolio = z.infer<typeof PortfolioSchema>;

export const PortfolioPathSchema = z.strictObject({ portfolioId: IdSchema });
