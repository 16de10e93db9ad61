import { logger, runResumablePages } from '@kupala/trade-model';
import type { MigrationCursor, MigrationProgress, ViewsMigration } from '../../adapters/views-migration';
import { migrateViewsSideEffects } from '../../positionsSideEffects';

const NOT_A_RUN =
  'Not a migration run: {} or {cursor: {pk, sk}} (the nextCursor of the previous run) expected';

/** The cursor of an invocation (invoked by hand: not an API, but it is checked all the same). */
const cursorOf = (event: unknown): MigrationCursor | undefined => {
  const cursor = ((event ?? {}) as Record<string, unknown>).cursor;
  if (cursor === undefined || cursor === null) return undefined;
  const { pk, sk } = cursor as Record<string, unknown>;
  if (typeof pk !== 'string' || typeof sk !== 'string' || pk.length > 1024 || sk.length > 1024)
    throw new Error(NOT_A_RUN);
  return { pk, sk };
};

/** Stop starting pages when less than this is left of the invocation's time. */
const SAFETY_MS = 60_000;

/**
 * Invoked by hand after deploying the packed views onto a stage that has positions from before them (README,
 * "Positions"): rebuilds their VIEWS# entries page by page until the table's end or until its time runs low,
 * and answers where to continue (`nextCursor`: invoke again with `{"cursor": …}` until it is null).
 */
export const buildHandler =
  (effects: () => { migration: ViewsMigration } = migrateViewsSideEffects) =>
  async (
    event: unknown,
    context?: { getRemainingTimeInMillis(): number },
  ): Promise<{ positions: number; nextCursor: MigrationCursor | null }> => {
    const { migration } = effects();
    const { count: positions, next: cursor } = await runResumablePages(
      async (from) => {
        const page: MigrationProgress = await migration.migratePage(from);
        return { count: page.positions, next: page.nextCursor };
      },
      cursorOf(event),
      () => (context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY) > SAFETY_MS,
    );
    logger.info('Position views rebuilt', { positions, done: cursor === undefined });
    return { positions, nextCursor: cursor ?? null };
  };

export const main = buildHandler();
