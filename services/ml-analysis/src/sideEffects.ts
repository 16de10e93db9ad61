import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  buildIdempotencyStore,
  createDocumentClient,
  createS3Client,
  getEnvVariable,
  getOptionalEnvVariable,
  type IdempotencyStore,
  lazily,
} from '@kupala/trade-model';
import { monotonicFactory } from 'ulid';
import { type AnalysesStore, buildAnalysesStore } from './adapters/analyses-store';
import { type AnalysisFiles, buildAnalysisFiles } from './adapters/analysis-files';
import { type AnalysisWorker, buildAnalysisWorker } from './adapters/analysis-worker';
import { buildDatasetFiles, type DatasetFiles } from './adapters/dataset-files';
import { buildDatasetsStore, type DatasetsStore } from './adapters/datasets-store';
import { buildMarketDataReader } from './adapters/market-data-reader';
import type { MarketUniverseSource } from './domain/market-universe-dataset';

/** Everything an ml-analysis handler touches outside itself; tests pass their own. */
export interface MlAnalysisSideEffects {
  datasets: DatasetsStore;
  files: DatasetFiles;
  analyses: AnalysesStore;
  /** Outputs of AutoML runs (out-of-fold and final predictions), in the datasets bucket. */
  outputs: AnalysisFiles;
  /** Queues a unit of an AutoML run on the runAnalysis function. */
  worker: AnalysisWorker;
  /** Idempotency records of creating POSTs, in the Analyses table (TTL on expiresAt). */
  idempotency: IdempotencyStore;
  /** market-data's MarketData table, read-only: the market universe's closes. */
  marketData: MarketUniverseSource;
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
  const s3 = lazily(() => createS3Client());
  const files = lazily(() => buildDatasetFiles(s3(), getEnvVariable('DATASETS_BUCKET')));
  const outputs = lazily(() => buildAnalysisFiles(s3(), getEnvVariable('DATASETS_BUCKET')));
  const analyses = lazily(() => buildAnalysesStore(client(), tableName()));
  const marketData = lazily(() => buildMarketDataReader(client(), getEnvVariable('MARKET_DATA_TABLE')));
  const worker = lazily(() => {
    // Locally the worker is reached through serverless-offline's Lambda endpoint; in AWS through Lambda itself.
    const endpoint = getOptionalEnvVariable('ANALYSIS_WORKER_ENDPOINT');
    const lambda = new LambdaClient(endpoint === undefined || endpoint === 'aws' ? {} : { endpoint });
    return buildAnalysisWorker(lambda, getEnvVariable('ANALYSIS_WORKER_FUNCTION'));
  });
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
    get analyses() {
      return analyses();
    },
    get outputs() {
      return outputs();
    },
    get worker() {
      return worker();
    },
    get marketData() {
      return marketData();
    },
    newId: () => ulid(),
    now: () => new Date().toISOString(),
  };
});
