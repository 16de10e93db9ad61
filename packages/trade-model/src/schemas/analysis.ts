import * as z from '../zod';
import { boundedText, IdSchema, TimestampSchema } from './primitives';

/** Model families of the AutoML lab (ids of `@kupala/automl`; a family answers only the tasks it can learn). */
export const ANALYSIS_MODELS = [
  'lr',
  'ridge',
  'lasso',
  'en',
  'logistic',
  'lda',
  'knn',
  'nb',
  'dt',
  'rf',
  'et',
  'hgb',
  'dummy',
] as const;
export const AnalysisModelSchema = z.enum(ANALYSIS_MODELS);
export const ANALYSIS_TASKS = ['regression', 'classification'] as const;
export const AnalysisTaskSchema = z.enum(ANALYSIS_TASKS);
export const ANALYSIS_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export const AnalysisStatusSchema = z.enum(ANALYSIS_STATUSES);

export const DEFAULT_ANALYSIS_FOLDS = 10;
export const DEFAULT_ANALYSIS_BUDGET_SECONDS = 300;
export const MAX_ANALYSIS_BUDGET_SECONDS = 840;

/**
 * Body of `POST /analyses`: rank model families on a dataset's column. Example:
 * `{"datasetId":"01JQ…","target":"close","task":"regression","folds":5,"budgetSeconds":120,"include":["ridge","hgb"]}`.
 */
export const CreateAnalysisBodySchema = z.strictObject({
  datasetId: IdSchema,
  target: boundedText(200),
  task: AnalysisTaskSchema,
  /** Cross-validation folds (default 10, as PyCaret). */
  folds: z.optional(z.int().check(z.minimum(2), z.maximum(20))),
  /** Families not started when this many seconds have passed are skipped (default 300). */
  budgetSeconds: z.optional(z.int().check(z.minimum(10), z.maximum(MAX_ANALYSIS_BUDGET_SECONDS))),
  /** Only these families (default: every family that can learn the task). */
  include: z.optional(
    z.array(AnalysisModelSchema).check(z.minLength(1), z.maxLength(ANALYSIS_MODELS.length)),
  ),
  /** Seed of the folds and of every random choice (default 42): the same seed gives the same leaderboard. */
  seed: z.optional(z.int().check(z.minimum(0), z.maximum(2_147_483_647))),
});
export type CreateAnalysisBody = z.infer<typeof CreateAnalysisBodySchema>;

export const CreatedAnalysisSchema = z.strictObject({ analysisId: IdSchema });

/** Mean of a metric over the folds; null where it is undefined (e.g. AUC of a fold holding one class). */
const MetricSchema = z.nullable(z.number());

/**
 * One leaderboard row: PyCaret's metric columns averaged over the folds (regression MAE, MSE, RMSE, R2, RMSLE,
 * MAPE; classification Accuracy, AUC, Recall, Precision, F1, Kappa, MCC) and the seconds spent on every fold.
 */
export const LeaderboardEntrySchema = z.strictObject({
  model: AnalysisModelSchema,
  name: z.string(),
  metrics: z.record(z.string(), MetricSchema),
  fitSeconds: z.number(),
});
export type LeaderboardEntry = z.infer<typeof LeaderboardEntrySchema>;

/** An analysis: status, progress (families done of the run's total) and, when done, the sorted leaderboard. */
export const AnalysisSchema = z.strictObject({
  analysisId: IdSchema,
  datasetId: IdSchema,
  target: z.string(),
  task: AnalysisTaskSchema,
  folds: z.number(),
  budgetSeconds: z.number(),
  seed: z.number(),
  /** The families asked for, when the request named them. */
  include: z.optional(z.array(AnalysisModelSchema)),
  status: AnalysisStatusSchema,
  progress: z.strictObject({ completed: z.number(), total: z.number() }),
  /** Sorted as PyCaret sorts: R2 descending (regression), Accuracy descending (classification). */
  leaderboard: z.array(LeaderboardEntrySchema),
  bestModel: z.nullable(AnalysisModelSchema),
  /** Families the budget left no time for (or that failed; the run still completes with the others). */
  skipped: z.array(AnalysisModelSchema),
  error: z.optional(z.string()),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Analysis = z.infer<typeof AnalysisSchema>;

export const AnalysisPathSchema = z.strictObject({ analysisId: IdSchema });

export const PredictionsQuerySchema = z.strictObject({ format: z.optional(z.enum(['json', 'csv'])) });

/** A row's prediction by the best model: refitted on all rows (`predicted`) and from the fold that held it out. */
export const PredictionRowSchema = z.strictObject({
  row: z.number(),
  actual: z.union([z.string(), z.number()]),
  predicted: z.union([z.string(), z.number()]),
  cvPredicted: z.union([z.string(), z.number()]),
  probability: z.optional(z.number()),
});

export const PredictionsSchema = z.strictObject({
  analysisId: IdSchema,
  model: AnalysisModelSchema,
  predictions: z.array(PredictionRowSchema),
});
export type Predictions = z.infer<typeof PredictionsSchema>;
