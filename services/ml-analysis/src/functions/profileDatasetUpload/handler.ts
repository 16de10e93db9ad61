import { logger } from '@kupala/trade-model';
import type { S3Event } from 'aws-lambda';
import { parseUploadKey } from '../../adapters/dataset-files';
import { processDatasetUpload } from '../../domain/dataset-upload';
import { type MlAnalysisSideEffects, mlAnalysisSideEffects } from '../../sideEffects';

/**
 * Runs on S3 ObjectCreated of `<sub>/datasets/<datasetId>/upload` (the presigned upload of `POST /datasets`):
 * profiles the file and ends the dataset READY or FAILED. A key of any other shape is ignored; storage errors
 * are thrown so that Lambda retries (a retry redoes nothing already finished).
 */
export const buildHandler =
  (effects: () => MlAnalysisSideEffects = mlAnalysisSideEffects) =>
  async (event: S3Event): Promise<void> => {
    for (const record of event.Records) {
      const upload = parseUploadKey(record.s3.object.key);
      if (upload === undefined) {
        logger.warn('Ignored an object that is no dataset upload', { key: record.s3.object.key });
        continue;
      }
      const outcome = await processDatasetUpload(effects(), upload.sub, upload.datasetId);
      logger.info('Dataset upload processed', { datasetId: upload.datasetId, outcome });
    }
  };

export const main = buildHandler();
