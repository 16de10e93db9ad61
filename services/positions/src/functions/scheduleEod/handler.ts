import { logger } from '@kupala/trade-model';
import { lastBusinessDay } from '../../domain/eod-range';
import { EOD_BATCH_LIMIT, type PortfolioRef } from '../../domain/eod-run';
import { type EodScheduleSideEffects, eodScheduleSideEffects } from '../../eodSideEffects';

/**
 * The nightly EOD run for the last business day: the live portfolios in batches of EOD_BATCH_LIMIT, one
 * asynchronous worker invocation per batch (fan-out: the batches build in parallel; within a batch what the
 * portfolios share is read once, and a batch that fails is retried by Lambda alone). Also run by hand locally
 * (`pnpm run eod`).
 */
export const buildHandler =
  (effects: () => EodScheduleSideEffects = eodScheduleSideEffects) =>
  async (event: { date?: string } = {}): Promise<{ date: string; portfolios: number; batches: number }> => {
    const { portfolios, worker, now } = effects();
    const date =
      typeof event.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(event.date)
        ? event.date
        : lastBusinessDay(now());
    let count = 0;
    let batches = 0;
    let batch: PortfolioRef[] = [];
    const dispatch = async () => {
      await worker.dispatch({ from: date, to: date, portfolios: batch });
      batches += 1;
      batch = [];
    };
    for await (const { sub, portfolioId } of portfolios.portfolios()) {
      batch.push({ sub, portfolioId });
      count += 1;
      if (batch.length === EOD_BATCH_LIMIT) await dispatch();
    }
    if (batch.length > 0) await dispatch();
    logger.info('EOD run dispatched', { date, portfolios: count, batches });
    return { date, portfolios: count, batches };
  };

export const main = buildHandler();
