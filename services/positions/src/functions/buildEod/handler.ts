import { logger } from '@kupala/trade-model';
import { EOD_BATCH_LIMIT, type EodBuildDeps, type EodJob, runEodJobs } from '../../domain/eod-run';
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

/**
 * The EOD worker (invoked asynchronously): rebuilds the days of one portfolio or of a batch. A portfolio that
 * fails fails the invocation after the others are written, so Lambda retries it (a retry rewrites the same
 * items: idempotent).
 */
export const buildHandler =
  (effects: () => EodBuildDeps = eodBuildSideEffects) =>
  async (event: unknown): Promise<{ days: number; portfolios: number }> => {
    const jobs = jobsOf(event);
    const { days, failed } = await runEodJobs(effects(), jobs);
    const range = { from: jobs[0]?.from, to: jobs[0]?.to };
    logger.info('EOD snapshots written', { ...range, portfolios: jobs.length, failed: failed.length, days });
    if (failed.length > 0) {
      for (const { job, error } of failed)
        logger.error('EOD build failed', { portfolioId: job.portfolioId, error });
      if (jobs.length === 1) throw failed[0]?.error;
      throw new Error(`EOD build failed for ${failed.length} of ${jobs.length} portfolios`);
    }
    return { days, portfolios: jobs.length };
  };

export const main = buildHandler();
