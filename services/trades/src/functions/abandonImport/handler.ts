import { type FailedInvocation, logger } from '@kupala/trade-model';
import type { S3Event } from 'aws-lambda';
import { parseImportSourceKey } from '../../adapters/import-files';
import { type ImportsSideEffects, importsSideEffects } from '../../sideEffects';

/**
 * processImport's on-failure destination: once Lambda has given up retrying, the import must not stay
 * RUNNING forever. It is ended as FAILED with a message saying how to resume.
 */
export const buildHandler =
  (effects: () => ImportsSideEffects = importsSideEffects) =>
  async (event: FailedInvocation<S3Event>): Promise<void> => {
    const { imports, now } = effects();
    for (const record of event.requestPayload?.Records ?? []) {
      const file = parseImportSourceKey(record.s3.object.key);
      if (file === undefined) continue;
      const abandoned = await imports.abandonImport(file.sub, file.portfolioId, file.importId, now());
      logger.error('import abandoned after failed retries', {
        portfolioId: file.portfolioId,
        importId: file.importId,
        abandoned,
        lastError: event.responsePayload?.errorType,
      });
    }
  };

export const main = buildHandler();
