import { logger, MAX_IMPORT_FILE_BYTES, MAX_IMPORT_FILE_LINES } from '@kupala/trade-model';
import type { S3Event } from 'aws-lambda';
import { parseImportSourceKey, SourceChangedError, type SourcePin } from '../../adapters/import-files';
import { IMPORT_CHUNK } from '../../adapters/trades-store';
import { type ImportRunResult, runImport } from '../../domain/imports/run-import';
import { limitLines } from '../../domain/line-limit';
import { type ImportsSideEffects, importsSideEffects } from '../../sideEffects';

/** Booking transactions in flight at once. */
const CONCURRENCY = 4;

/**
 * Runs the import whose file was just stored (S3 ObjectCreated on `…/source`). A file or row problem
 * finishes the import as FAILED; a redelivered event of a finished import does nothing. Storage errors
 * are thrown so that Lambda retries: the import stays RUNNING and the retry books nothing twice.
 */
export interface SourceLimits {
  maxBytes: number;
  maxLines: number;
}

/** The import ends FAILED for the file as a whole (row 0) with this message; nothing of it is booked. */
const fileFailure = (message: string): ImportRunResult => ({
  status: 'FAILED',
  errors: [{ row: 0, field: 'file', message }],
  rows: 0,
  imported: 0,
  duplicates: 0,
  skipped: 0,
});

/** A file above the size limit: refused before a byte of it is parsed. */
class SourceTooLargeError extends Error {
  override readonly name = 'SourceTooLargeError';
}

export const buildHandler =
  (
    effects: () => ImportsSideEffects = importsSideEffects,
    limits: SourceLimits = { maxBytes: MAX_IMPORT_FILE_BYTES, maxLines: MAX_IMPORT_FILE_LINES },
  ) =>
  async (event: S3Event): Promise<void> => {
    const { store, imports, files, newId, now } = effects();
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
      // the validation pass pins the object it read; the booking pass must read that very object
      let pin: SourcePin | undefined;
      const openSource = async () => {
        const source = await files.openSource(file, pin);
        if (source.bytes > limits.maxBytes) throw new SourceTooLargeError();
        pin ??= source.pin;
        return limitLines(source.body, limits.maxLines);
      };
      const run = async (baseCurrency: string): Promise<ImportRunResult> => {
        try {
          return await runImport(
            job,
            {
              openSource,
              storedFingerprints: (fingerprints) =>
                store.existingFingerprints(sub, portfolioId, fingerprints),
              bookedExternalIds: (ids) => store.existingExternalIds(sub, portfolioId, ids),
              bookChunk: async (chunk) =>
                (await store.insertImportedChunk(sub, portfolioId, importId, chunk)).kind,
              recordProgress: (rowsRead) =>
                imports.recordProgress(sub, portfolioId, importId, rowsRead, now()),
              newId,
              now,
            },
            { baseCurrency, chunkSize: IMPORT_CHUNK, concurrency: CONCURRENCY },
          );
        } catch (error: unknown) {
          if (error instanceof SourceTooLargeError)
            return fileFailure(`the file is larger than ${limits.maxBytes} bytes`);
          if (!(error instanceof SourceChangedError)) throw error;
          logger.warn('import source replaced between its passes', { portfolioId, importId });
          return fileFailure(
            'the file was replaced after it was validated; nothing of it was booked: start a new import to import it',
          );
        }
      };
      const result =
        portfolio === undefined
          ? {
              ...fileFailure('the portfolio no longer exists'),
              errors: [{ row: 0, field: 'portfolioId', message: 'the portfolio no longer exists' }],
            }
          : await run(portfolio.baseCurrency);
      await imports.finishImport(sub, portfolioId, importId, result, now());
      logger.info('import finished', {
        portfolioId,
        importId,
        status: result.status,
        imported: result.imported,
      });
    }
  };

export const main = buildHandler();
