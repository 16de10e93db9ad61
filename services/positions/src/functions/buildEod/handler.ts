import { logger } from '@kupala/trade-model';
import {
  EOD_BATCH_LIMIT,
  type EodBuildDeps,
  type EodJob,
  type EodSkipReason,
  runEodJobs,
} from '../../domain/eod-run';
import { eodBuildSideEffects } from '../../eodSideEffects';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const NOT_A_JOB =
  'Not an EOD job: {sub, portfolioId, from, to} or {from, to, portfolios: [{sub, portfolioId}] (1 to 100)} expected';

/** One portfolio's job as POST …/eod sent it (an invocation is not an API, but it is checked all the same). */
const jobOf = (job: Record<string, unknown>): EodJob => {
  const { sub, portfolioId, from, to } = job;
  if (
    typeof sub !== 'string' ||
    sub.length === 0 ||
    sub.length > 128 ||
    typeof portfolioId !== 'string' ||
    !ID.test(portfolioId) ||
    typeof from !== 'string' ||
    !DATE.test(from) ||
    typeof to !== 'string' ||
    !DATE.test(to) ||
    from > to
  ) {
    throw new Error(NOT_A_JOB);
  }
  return { sub, portfolioId, from, to };
};

/** A single job, or the nightly run's batch: one range for up to EOD_BATCH_LIMIT portfolios. */
const jobsOf = (event: unknown): EodJob[] => {
  const body = (event ?? {}) as Record<string, unknown>;
  if (!Array.isArray(body.portfolios)) return [jobOf(body)];
  if (body.portfolios.length === 0 || body.portfolios.length > EOD_BATCH_LIMIT) throw new Error(NOT_A_JOB);
  return body.portfolios.map((portfolio: unknown) =>
    jobOf({ ...(portfolio as Record<string, unknown>), from: body.from, to: body.to }),
  );
};

/** What a worker invocation answers (and logs): every portfolio of the event accounted for. */
export interface EodWorkerResult {
  portfolios: number;
  written: number;
  days: number;
  skipped: { deleted: number; noTradesYet: number };
}

/**
 * The EOD worker (invoked asynchronously): rebuilds the days of one portfolio or of a batch, and says what it
 * did with each (written, skipped and why). A portfolio that fails fails the invocation after the others are
 * written, so Lambda retries it (a retry rewrites the same items: idempotent) and then parks the batch.
 */
export const buildHandler =
  (effects: () => EodBuildDeps = eodBuildSideEffects) =>
  async (event: unknown): Promise<EodWorkerResult> => {
    const jobs = jobsOf(event);
    const outcome = await runEodJobs(effects(), jobs);
    const skippedAs = (reason: EodSkipReason) =>
      outcome.skipped.filter((skip) => skip.reason === reason).map(({ job }) => job.portfolioId);
    const result: EodWorkerResult = {
      portfolios: outcome.portfolios,
      written: outcome.written,
      days: outcome.days,
      skipped: { deleted: skippedAs('DELETED').length, noTradesYet: skippedAs('NO_TRADES_YET').length },
    };
    logger.info('EOD batch done', {
      from: jobs[0]?.from,
      to: jobs[0]?.to,
      ...result,
      failed: outcome.failed.length,
      deleted: skippedAs('DELETED'),
      noTradesYet: skippedAs('NO_TRADES_YET'),
    });
    if (outcome.failed.length > 0) {
      for (const { job, error } of outcome.failed)
        logger.error('EOD build failed', { portfolioId: job.portfolioId, error });
      if (jobs.length === 1) throw outcome.failed[0]?.error;
      throw new Error(
        `EOD build failed for ${outcome.failed.length} of ${jobs.length} portfolios (${outcome.written} written, ${outcome.skipped.length} skipped)`,
      );
    }
    return result;
  };

export const main = buildHandler();
