import { type FailedInvocation, logger } from '@kupala/trade-model';
import type { S3Event } from 'aws-lambda';
import { parseUploadKey } from '../../adapters/dataset-files';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

/** What a dataset whose upload could not be profiled says (its file is gone: nothing of it is kept). */
export const ABANDONED_UPLOAD_ERROR =
  'the file could not be processed (storage kept failing after retries); nothing of it was kept: upload it again as a new dataset';

/**
 * profileDatasetUpload's on-failure destination: once Lambda has given up retrying, the dataset must not stay
 * PENDING forever. It is ended FAILED (only if still PENDING) and its upload removed.
 */
export const buildHandler =
  (effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects) =>
  async (event: FailedInvocation<S3Event>): Promise<void> => {
    const { datasets, files } = effects();
    for (const record of event.requestPayload?.Records ?? []) {
      const upload = parseUploadKey(record.s3.object.key);
      if (upload === undefined) continue;
      const abandoned = await datasets.finishUpload(upload.sub, upload.datasetId, {
        status: 'FAILED',
        error: ABANDONED_UPLOAD_ERROR,
        sizeBytes: 0,
      });
      await files.deleteUpload(upload.sub, upload.datasetId);
      logger.error('dataset upload abandoned after failed retries', {
        datasetId: upload.datasetId,
        abandoned,
        lastError: event.responsePayload?.errorType,
      });
    }
  };

export const main = buildHandler();
