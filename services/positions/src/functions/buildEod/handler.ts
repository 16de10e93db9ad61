import { logger } from '@kupala/trade-model';
import { type EodBuildDeps, type EodJob, runEodJob } from '../../domain/eod-run';
import { eodBuildSideEffects } from '../../eodSideEffects';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The job POST …/eod or the nightly run sent (an invocation is not an API, but it is checked all the same). */
const jobOf = (event: unknown): EodJob => {
  const job = (event ?? {}) as Record<string, unknown>;
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
    throw new Error('Not an EOD job: {sub, portfolioId, from, to} expected');
  }
  return { sub, portfolioId, from, to };
};

/** The EOD worker (invoked asynchronously): rebuilds one portfolio's days; Lambda retries it on failure. */
export const buildHandler =
  (effects: () => EodBuildDeps = eodBuildSideEffects) =>
  async (event: unknown): Promise<{ days: number }> => {
    const job = jobOf(event);
    const days = await runEodJob(effects(), job);
    logger.info('EOD snapshots written', { portfolioId: job.portfolioId, from: job.from, to: job.to, days });
    return { days };
  };

export const main = buildHandler();
