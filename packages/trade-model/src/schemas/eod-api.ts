import { Decimal } from '../decimal';
import * as z from '../zod';
import { CursorSchema, LimitSchema } from './api';
import { documentedAs, documentedWith } from './json-schema';
import { InstrumentKeySchema } from './positions-api';
import {
  fromNotAfterTo,
  IdSchema,
  IsoDateSchema,
  inlineContent,
  NonNegativeDecimalSchema,
} from './primitives';

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

/** Most instruments a portfolio's targets may name. */
export const MAX_TARGETS = 200;
const WEIGHT_PATTERN = '^(?:0(?:\\.\\d{1,8})?|1(?:\\.0{1,8})?)$';
const WEIGHT_MESSAGE = 'must be a weight from 0 to 1 with at most 8 decimal places, e.g. "0.25"';
/** A target weight: a decimal string from 0 to 1 (0.25 is 25% of the portfolio's net liquidation). */
export const WeightSchema = documentedAs(
  z.string().check(z.regex(new RegExp(WEIGHT_PATTERN), WEIGHT_MESSAGE)),
  {
    type: 'string',
    minLength: 1,
    maxLength: 10,
    pattern: WEIGHT_PATTERN,
    description: `A target weight from 0 to 1 as a string, e.g. "0.25" (at most 8 decimal places)`,
  },
);
const TARGETS_SUM_MESSAGE = 'the weights must sum to at most 1 (the rest is the cash target)';
const TARGETS_COUNT_MESSAGE = `must name at most ${MAX_TARGETS} instruments`;

/**
 * Body of `PUT …/targets`: a weight per instrument key, e.g. `{"weights":{"EQUITY:AAPL:USD":"0.6",
 * "EQUITY:MSFT:USD":"0.3"}}` (the remaining 0.1 is the cash target). Replaces the previous targets.
 */
export const TargetsBodySchema = documentedWith(
  z.strictObject({ weights: z.record(InstrumentKeySchema, WeightSchema) }).check(
    z.refine((body) => Object.keys(body.weights).length <= MAX_TARGETS, {
      message: TARGETS_COUNT_MESSAGE,
      path: ['weights'],
    }),
    z.refine(
      (body) =>
        Object.values(body.weights)
          .filter((weight) => new RegExp(WEIGHT_PATTERN).test(weight))
          .reduce((sum, weight) => sum.plus(weight), new Decimal(0))
          .lte(1),
      { message: TARGETS_SUM_MESSAGE, path: ['weights'] },
    ),
  ),
  { description: `Rules (400 at \`weights\`): ${TARGETS_COUNT_MESSAGE}; ${TARGETS_SUM_MESSAGE}.` },
);
export type TargetsBody = z.infer<typeof TargetsBodySchema>;

/** Answer of `PUT …/targets`: the targets as stored. */
export const TargetsSchema = z.strictObject({
  weights: z.record(z.string(), z.string()),
  updatedAt: z.string(),
});

/** Answer of `GET …/rebalance`: proposed trades and the drift they leave, in the base currency. */
export const RebalanceSchema = z.strictObject({
  baseCurrency: z.string(),
  totalValue: z.string(),
  trades: z.array(
    z.strictObject({
      instrumentKey: z.string(),
      side: z.enum(['BUY', 'SELL']),
      quantity: z.string(),
      estimatedValue: z.string(),
    }),
  ),
  cashAfter: z.string(),
  cashWeightAfter: z.string(),
  drift: z.array(
    z.strictObject({
      instrumentKey: z.string(),
      targetWeight: z.string(),
      currentWeight: z.string(),
      weightAfter: z.string(),
      drift: z.string(),
    }),
  ),
});

/** Most bytes of an inline positions statement. */
export const MAX_STATEMENT_BYTES = 1024 * 1024;
/** Formats of a broker positions statement. */
export const STATEMENT_FORMATS = ['generic-csv', 'ibkr-positions'] as const;

/**
 * Body of `POST …/reconcile`: a broker positions statement, inline. `generic-csv`: a header row with Symbol,
 * Quantity and optionally Currency and Cost Basis; `ibkr-positions`: an IBKR activity statement CSV (its Open
 * Positions section is read). Differences up to `tolerance` (absolute; default quantity 0, cost 0.01) are not breaks.
 */
export const ReconcileBodySchema = z.strictObject({
  format: z.enum(STATEMENT_FORMATS),
  content: inlineContent(MAX_STATEMENT_BYTES),
  tolerance: z.optional(
    z.strictObject({
      quantity: z.optional(NonNegativeDecimalSchema),
      cost: z.optional(NonNegativeDecimalSchema),
    }),
  ),
});

/** Answer of `POST …/reconcile`: matched rows, the breaks, and the statement rows that could not be read. */
export const ReconciliationSchema = z.strictObject({
  matched: z.number(),
  breaks: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]))),
  errors: z.array(z.strictObject({ row: z.number(), field: z.string(), message: z.string() })),
  skipped: z.array(z.strictObject({ row: z.number(), reason: z.string() })),
});
