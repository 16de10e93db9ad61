import { logger, MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_LINES } from '@kupala/trade-model';
import type { S3Event } from 'aws-lambda';
import {
  type ImportFileKey,
  parseImportSourceKey,
  pinnedOpener,
  type SourceLimits,
  sourceRefusal,
} from '../../adapters/import-files';
import { activeTradesOfSymbol } from '../../adapters/symbol-trades';
import { IMPORT_CHUNK } from '../../adapters/trades-store';
import { type ImportJob, type ImportRunResult, runImport } from '../../domain/imports/run-import';
import { type ImportsSideEffects, importsSideEffects } from '../../sideEffects';

/** Booking transactions in flight at once. */
const CONCURRENCY = 4;

/** The import ends FAILED for the file as a whole (row 0) with this message; nothing of it is booked. */
const fileFailure = (field: string, message: string): ImportRunResult => ({
  status: 'FAILED',
  errors: [{ row: 0, field, message }],
  rows: 0,
  imported: 0,
  duplicates: 0,
  skipped: 0,
  skippedByReason: {},
});

/**
 * Runs the import whose file was just stored (S3 ObjectCreated on `…/source`). A file or row problem
 * finishes the import as FAILED; a redelivered event of a finished import does nothing. Storage errors
 * are thrown so that Lambda retries: the import stays RUNNING and the retry books nothing twice. Both
 * passes read the same stored object (pinnedOpener): a file replaced in between fails the import.
 */
export const buildHandler = (
  effects: () => ImportsSideEffects = importsSideEffects,
  limits: SourceLimits = { maxBytes: MAX_IMPORT_FILE_BYTES, maxLines: MAX_IMPORT_FILE_LINES },
) => {
  const run = async (file: ImportFileKey, job: ImportJob, baseCurrency: string): Promise<ImportRunResult> => {
    const { store, imports, files, newId, now } = effects();
    const { sub, portfolioId, importId } = file;
    try {
      return await runImport(
        job,
        {
          openSource: pinnedOpener(files, file, limits),
          storedFingerprints: (fingerprints) => store.existingFingerprints(sub, portfolioId, fingerprints),
          bookedExternalIds: (ids) => store.existingExternalIds(sub, portfolioId, ids),
          bookChunk: async (chunk) =>
            (await store.insertImportedChunk(sub, portfolioId, importId, chunk)).kind,
          recordProgress: (rowsRead) => imports.recordProgress(sub, portfolioId, importId, rowsRead, now()),
          existingTradesOf: (symbol) => activeTradesOfSymbol(store, sub, portfolioId, symbol),
          newId,
          now,
        },
        { baseCurrency, chunkSize: IMPORT_CHUNK, concurrency: CONCURRENCY },
      );
    } catch (error: unknown) {
      const refusal = sourceRefusal(error);
      if (refusal === undefined) throw error;
      logger.warn('import source refused', { portfolioId, importId, refusal });
      return fileFailure('file', refusal);
    }
  };

  return async (event: S3Event): Promise<void> => {
    const { store, imports, now } = effects();
    for (const record of event.Records) {
      const file = parseImportSourceKey(record.s3.object.key);
      if (file === undefined) {
        logger.warn('object is not an import source, ignored', { key: record.s3.object.key });
        continue;
      }
      const { sub, portfolioId, importId } = file;
      const job = await imports.claimImport(sub, portfolioId, importId, now());
      if (job === undefined) {
        logger.info('import unknown or already finished, event ignored', { portfolioId, importId });
        continue;
      }
      const portfolio = await store.getPortfolio(sub, portfolioId);
      const result =
        portfolio === undefined
          ? fileFailure('portfolioId', 'the portfolio no longer exists')
          : await run(file, job, portfolio.baseCurrency);
      await imports.finishImport(sub, portfolioId, importId, result, now());
      logger.info('import finished', {
        portfolioId,
        importId,
        status: result.status,
        imported: result.imported,
      });
    }
  };
};

export const main = buildHandler();
