import * as z from '../zod';
import { CursorSchema, LimitSchema } from './api';
import { documentedWith } from './json-schema';
import { fromNotAfterTo, IdSchema, IsoDateSchema } from './primitives';

/** Longest range of EOD days a request may name: 10 years of calendar days (2 leap days included). */
export const MAX_EOD_RANGE_DAYS = 3653;
/** The refusal of a longer range (400 at `from`), stated in every EOD operation's document. */
export const EOD_RANGE_MESSAGE = `the range must span at most ${MAX_EOD_RANGE_DAYS} days (10 years)`;
const RANGE_RULES = `Range rules (400): to must not be before from (at \`to\`); ${EOD_RANGE_MESSAGE} (at \`from\`).`;

const RANGE = { from: z.optional(IsoDateSchema), to: z.optional(IsoDateSchema) };

/**
 * Body of `POST …/eod`: the days to (re)build, e.g. `{"from":"2026-01-02","to":"2026-03-31"}`. Without `to`:
 * the last business day (today, or the Friday before a weekend); without `from`: `to` only.
 */
export const EodRequestBodySchema = documentedWith(z.strictObject(RANGE).check(fromNotAfterTo()), {
  description: RANGE_RULES,
});
export type EodRequestBody = z.infer<typeof EodRequestBodySchema>;

/** Answer of `POST …/eod`: the build is queued; the days appear in `GET …/history` once written. */
export const EodAcceptedSchema = z.strictObject({
  portfolioId: IdSchema,
  from: IsoDateSchema,
  to: IsoDateSchema,
  status: z.literal('ACCEPTED'),
});

/** Query of `GET …/history`: days within [from, to] (default: the 10 years up to today), paginated. */
export const HistoryQuerySchema = documentedWith(
  z
    .strictObject({ ...RANGE, limit: z.optional(LimitSchema), cursor: z.optional(CursorSchema) })
    .check(fromNotAfterTo()),
  { description: RANGE_RULES },
);

/** One business day's close: V_t, F_t and r_t in the base currency (null where a value cannot be computed). */
export const HistoryDaySchema = z.strictObject({
  date: IsoDateSchema,
  netLiquidation: z.nullable(z.string()),
  netFlows: z.string(),
  dailyReturn: z.nullable(z.string()),
});
export type HistoryDay = z.infer<typeof HistoryDaySchema>;

/** Query of `GET …/performance`: the range measured (default: the 10 years up to today). */
export const PerformanceQuerySchema = documentedWith(z.strictObject(RANGE).check(fromNotAfterTo()), {
  description: RANGE_RULES,
});

const FIGURES = ['twr', 'mwr', 'volatility', 'maxDrawdown'] as const;
const figureMap = <T extends z.core.SomeType>(value: T) =>
  z.strictObject(
    Object.fromEntries(FIGURES.map((name) => [name, value])) as Record<(typeof FIGURES)[number], T>,
  );

/**
 * Answer of `GET …/performance`: each figure a decimal string (10 places; 0.0123 is 1.23%) or null with its
 * reason in `reasons`, and how each is computed in `method`.
 */
export const PerformanceSchema = z.strictObject({
  from: z.nullable(IsoDateSchema),
  to: z.nullable(IsoDateSchema),
  baseCurrency: z.string(),
  returnDays: z.number(),
  twr: z.nullable(z.string()),
  mwr: z.nullable(z.string()),
  volatility: z.nullable(z.string()),
  maxDrawdown: z.nullable(z.string()),
  method: figureMap(z.string()),
  reasons: z.partial(figureMap(z.string())),
});
export type PerformanceView = z.infer<typeof PerformanceSchema>;
