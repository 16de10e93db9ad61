import { logger } from '@kupala/trade-model';
import type { S3Event } from 'aws-lambda';
import { parseImportSourceKey } from '../../adapters/import-files';
import { activeTradesOfSymbol } from '../../adapters/symbol-trades';
import { IMPORT_CHUNK } from '../../adapters/trades-store';
import { runImport } from '../../domain/imports/run-import';
import { type ImportsSideEffects, importsSideEffects } from '../../sideEffects';

/** Booking transactions in flight at once. */
const CONCURRENCY = 4;

/**
 * Runs the import whose file was just stored (S3 ObjectCreated on `…/source`). A file or row problem
 * finishes the import as FAILED; a redelivered event of a finished import does nothing. Storage errors
 * are thrown so that Lambda retries: the import stays RUNNING and the retry books nothing twice.
 */
export const buildHandler =
  (effects: () => ImportsSideEffects = importsSideEffects) =>
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
      const result =
        portfolio === undefined
          ? {
              status: 'FAILED' as const,
              errors: [{ row: 0, field: 'portfolioId', message: 'the portfolio no longer exists' }],
              rows: 0,
              imported: 0,
              duplicates: 0,
              skipped: 0,
              skippedByReason: {},
            }
          : await runImport(
              job,
              {
                openSource: () => files.openSource(file),
                storedFingerprints: (fingerprints) =>
                  store.existingFingerprints(sub, portfolioId, fingerprints),
                bookedExternalIds: (ids) => store.existingExternalIds(sub, portfolioId, ids),
                bookChunk: async (chunk) =>
                  (await store.insertImportedChunk(sub, portfolioId, importId, chunk)).kind,
                recordProgress: (rowsRead) =>
                  imports.recordProgress(sub, portfolioId, importId, rowsRead, now()),
                existingTradesOf: (symbol) => activeTradesOfSymbol(store, sub, portfolioId, symbol),
                newId,
                now,
              },
              { baseCurrency: portfolio.baseCurrency, chunkSize: IMPORT_CHUNK, concurrency: CONCURRENCY },
            );
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
