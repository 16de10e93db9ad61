import { importProgressOf, MalformedImportRecordError } from '../../domain/import-progress';
import { progressPusher } from '../../domain/progress-push';
import { type ImportProgressSideEffects, importProgressSideEffects } from '../../sideEffects';

/** Trades stream consumer: pushes `import.progress` for IMPORT items to the importing user's connections. */
export const buildHandler = (effects: () => ImportProgressSideEffects = importProgressSideEffects) =>
  progressPusher(
    {
      entity: 'IMPORT',
      progressOf: importProgressOf,
      isMalformed: (error) => error instanceof MalformedImportRecordError,
    },
    effects,
  );

export const main = buildHandler();
