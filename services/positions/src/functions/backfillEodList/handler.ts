import { decodeCursor, encodeCursor, logger, runResumablePages } from '@kupala/trade-model';
import { type EodBackfillSideEffects, eodBackfillSideEffects } from '../../eodSideEffects';

/** Items a Scan page evaluates, and the most pages one invocation reads. */
export const BACKFILL_PAGE_ITEMS = 1000;
const MAX_PAGES = 100;
/** Stops paging with this much of the invocation's time left (the answer's cursor resumes). */
const MARGIN_MS = 20_000;
// a cursor of this scan: the Trades table's key (pk and sk), nothing else
const SCAN_CURSOR = { equals: {}, sortKey: { name: 'sk' }, others: ['pk'] } as const;

const requestOf = (event: unknown): { cursor: string | undefined; pages: number } => {
  const { cursor, pages } = (event ?? {}) as Record<string, unknown>;
  if (
    (cursor !== undefined && cursor !== null && typeof cursor !== 'string') ||
    (pages !== undefined &&
      (!Number.isInteger(pages) || (pages as number) < 1 || (pages as number) > MAX_PAGES))
  )
    throw new Error(`Not a backfill request: {cursor?: string, pages?: 1 to ${MAX_PAGES}} expected`);
  return {
    cursor: typeof cursor === 'string' ? cursor : undefined,
    pages: (pages as number | undefined) ?? 20,
  };
};

/**
 * Puts the portfolios booked before the EOD run's list existed on that list (invoked by hand on a deployed
 * stage, see README): pages the Trades table's live PORTFOLIO items, `pages` Scan pages at most, and registers
 * them (idempotent: a portfolio is one list item however often it is put). Answers a cursor while the table
 * has more: invoke again with it until it answers null.
 */
export const buildHandler =
  (effects: () => EodBackfillSideEffects = eodBackfillSideEffects, pageItems = BACKFILL_PAGE_ITEMS) =>
  async (
    event: unknown,
    context?: { getRemainingTimeInMillis(): number },
  ): Promise<{ registered: number; pages: number; cursor: string | null }> => {
    const request = requestOf(event);
    const { scan, register } = effects();
    const {
      count: registered,
      pages,
      next,
    } = await runResumablePages(
      async (startKey) => {
        const page = await scan(startKey, pageItems);
        if (page.portfolios.length > 0) await register(page.portfolios);
        return { count: page.portfolios.length, next: page.next };
      },
      decodeCursor(request.cursor, SCAN_CURSOR),
      (pagesDone) =>
        pagesDone < request.pages &&
        (context === undefined || context.getRemainingTimeInMillis() > MARGIN_MS),
    );
    const cursor = encodeCursor(next);
    logger.info('EOD list backfill', { registered, pages, done: cursor === null });
    return { registered, pages, cursor };
  };

export const main = buildHandler();
