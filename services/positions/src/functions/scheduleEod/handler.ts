import { logger } from '@kupala/trade-model';
import { lastBusinessDay } from '../../domain/eod-range';
import { type EodScheduleSideEffects, eodScheduleSideEffects } from '../../eodSideEffects';

/**
 * The nightly EOD run: one asynchronous build per live portfolio for the last business day (fan-out, so a
 * portfolio that fails is retried by Lambda alone). Also run by hand locally (`pnpm run eod`).
 */
export const buildHandler =
  (effects: () => EodScheduleSideEffects = eodScheduleSideEffects) =>
  async (event: { date?: string } = {}): Promise<{ date: string; portfolios: number }> => {
    const { portfolios, worker, now } = effects();
    const date =
      typeof event.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(event.date)
        ? event.date
        : lastBusinessDay(now());
    let count = 0;
    for await (const { sub, portfolioId } of portfolios.portfolios()) {
      await worker.dispatch({ sub, portfolioId, from: date, to: date });
      count += 1;
    }
    logger.info('EOD run dispatched', { date, portfolios: count });
    return { date, portfolios: count };
  };

export const main = buildHandler();
