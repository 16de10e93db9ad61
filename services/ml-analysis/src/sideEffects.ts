import { S3Client } from '@aws-sdk/client-s3';
import {
  buildIdempotencyStore,
  createDocumentClient,
  getEnvVariable,
  getOptionalEnvVariable,
  type IdempotencyStore,
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
 * The S3 client. The endpoint comes from the SDK's own configuration (AWS_ENDPOINT_URL_S3 points it at
 * the local S3 server, which only understands path-style addressing).
 */
export const createS3Client = (): S3Client =>
  new S3Client(getOptionalEnvVariable('AWS_ENDPOINT_URL_S3') === undefined ? {} : { forcePathStyle: true });

const once = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
};

let defaults: MlAnalysisSideEffects | undefined;

/**
 * Production side effects, built once per container. Each piece reads its configuration on first use, so a
 * function is only given (and only needs) the variables of what it touches.
 */
export const mlAnalysisSideEffects = (): MlAnalysisSideEffects => {
  if (defaults === undefined) {
    const ulid = monotonicFactory();
    const client = once(() => createDocumentClient());
    const tableName = once(() => getEnvVariable('ANALYSES_TABLE'));
    const datasets = once(() => buildDatasetsStore(client(), tableName()));
    const idempotency = once(() => buildIdempotencyStore(client(), tableName()));
    const files = once(() => buildDatasetFiles(createS3Client(), getEnvVariable('DATASETS_BUCKET')));
    defaults = {
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
  }
  return defaults;
};
