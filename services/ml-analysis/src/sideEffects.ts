import {
  buildIdempotencyStore,
  createDocumentClient,
  createS3Client,
  getEnvVariable,
  type IdempotencyStore,
  lazily,
} from '@kupala/trade-model';
import { monotonicFactory } from 'ulid';
import { buildDatasetFiles, type DatasetFiles } from './adapters/dataset-files';
import { buildDatasetsStore, type DatasetsStore } from './adapters/datasets-store';

/** Everything an ml-analysis handler touches outside itself; tests pass their own. */
export interface MlAnalysisSideEffects {
  datasets: DatasetsStore;
  files: DatasetFiles;
  /** Idempotency records of creating POSTs, in the Analyses table (TTL on expiresAt). */
  idempotency: IdempotencyStore;
  newId: () => string;
  now: () => string;
}

/**
 * Production side effects, built once per container. Each piece reads its configuration on first use, so a
 * function is only given (and only needs) the variables of what it touches.
 */
export const mlAnalysisSideEffects = lazily((): MlAnalysisSideEffects => {
  const ulid = monotonicFactory();
  const client = lazily(() => createDocumentClient());
  const tableName = lazily(() => getEnvVariable('ANALYSES_TABLE'));
  const datasets = lazily(() => buildDatasetsStore(client(), tableName()));
  const idempotency = lazily(() => buildIdempotencyStore(client(), tableName()));
  const files = lazily(() => buildDatasetFiles(createS3Client(), getEnvVariable('DATASETS_BUCKET')));
  return {
    get datasets() {
      return datasets();
    },
    get idempotency() {
      return idempotency();
    },
    get files() {
      return files();
    },
    newId: () => ulid(),
    now: () => new Date().toISOString(),
  };
});
