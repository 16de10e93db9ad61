import { Readable } from 'node:stream';
import type { Dataset } from '@kupala/trade-model';
import { inMemoryIdempotencyStore } from '@kupala/trade-model/testing';
import type { AnalysesStore } from '../adapters/analyses-store';
import type { AnalysisFiles } from '../adapters/analysis-files';
import type { AnalysisWorker } from '../adapters/analysis-worker';
import type { DatasetFiles } from '../adapters/dataset-files';
import type { DatasetsStore } from '../adapters/datasets-store';
import type { MarketUniverseSource } from '../domain/market-universe-dataset';
import type { MlAnalysisSideEffects } from '../sideEffects';

export const FROZEN_NOW = '2026-11-24T10:00:00.000Z';

export interface FakeFailures {
  putDataset?: Error;
  deleteSource?: Error;
}

/** In-memory datasets and files, keyed like the real adapters (owner first). */
export const fakeMlEffects = (failures: FakeFailures = {}, marketData?: MarketUniverseSource) => {
  const items = new Map<string, Dataset>();
  const objects = new Map<string, string>();
  const itemKey = (sub: string, datasetId: string) => `${sub}|${datasetId}`;
  const objectKey = (sub: string, datasetId: string, name = 'source.csv') =>
    `${sub}/datasets/${datasetId}/${name}`;
  const opened = (content: string) => ({
    body: Readable.from([Buffer.from(content)]),
    bytes: Buffer.byteLength(content),
  });
  let counter = 0;

  const datasets: DatasetsStore = {
    async putDataset(sub, dataset) {
      if (failures.putDataset !== undefined) throw failures.putDataset;
      items.set(itemKey(sub, dataset.datasetId), dataset);
    },
    async getDataset(sub, datasetId) {
      return items.get(itemKey(sub, datasetId));
    },
    async listDatasets(sub, page) {
      const own = [...items.entries()]
        .filter(([key]) => key.startsWith(`${sub}|`))
        .map(([, dataset]) => dataset)
        .sort((a, b) => a.datasetId.localeCompare(b.datasetId));
      const start = page.cursor === undefined ? 0 : Number(page.cursor);
      const end = start + page.limit;
      return { items: own.slice(start, end), nextCursor: end < own.length ? String(end) : null };
    },
    async deleteDataset(sub, datasetId) {
      return items.delete(itemKey(sub, datasetId));
    },
    async finishUpload(sub, datasetId, outcome) {
      const dataset = items.get(itemKey(sub, datasetId));
      if (dataset?.status !== 'PENDING') return false;
      items.set(itemKey(sub, datasetId), { ...dataset, ...outcome });
      return true;
    },
  };

  const files: DatasetFiles = {
    async putSource(sub, datasetId, content) {
      objects.set(objectKey(sub, datasetId), content);
    },
    async uploadForm(sub, datasetId, seconds, maxBytes) {
      return {
        url: 'https://uploads.test/bucket',
        fields: { key: objectKey(sub, datasetId, 'upload'), expires: String(seconds), max: String(maxBytes) },
      };
    },
    async openUpload(sub, datasetId) {
      const content = objects.get(objectKey(sub, datasetId, 'upload'));
      return content === undefined ? undefined : opened(content);
    },
    async openSource(sub, datasetId) {
      const content = objects.get(objectKey(sub, datasetId));
      if (content === undefined) throw new Error('NoSuchKey');
      return opened(content);
    },
    async promoteUpload(sub, datasetId) {
      const content = objects.get(objectKey(sub, datasetId, 'upload'));
      if (content === undefined) throw new Error('NoSuchKey');
      objects.set(objectKey(sub, datasetId), content);
    },
    async deleteUpload(sub, datasetId) {
      objects.delete(objectKey(sub, datasetId, 'upload'));
    },
    async readSource(sub, datasetId) {
      const content = objects.get(objectKey(sub, datasetId));
      if (content === undefined) throw new Error('NoSuchKey');
      return content;
    },
    async deleteSource(sub, datasetId) {
      if (failures.deleteSource !== undefined) throw failures.deleteSource;
      objects.delete(objectKey(sub, datasetId));
    },
    async deleteAll(sub, datasetId) {
      const keys = [...objects.keys()].filter((key) => key.startsWith(`${sub}/datasets/${datasetId}/`));
      for (const key of keys) objects.delete(key);
      return keys.length;
    },
  };

  const idempotency = inMemoryIdempotencyStore();
  // Dataset handlers never reach analyses: any call through these fails the test loudly.
  const unused = <T>(what: string) =>
    new Proxy({}, { get: () => () => Promise.reject(new Error(`${what} is not faked`)) }) as T;
  const effects = (): MlAnalysisSideEffects => ({
    datasets,
    files,
    analyses: unused<AnalysesStore>('analyses'),
    outputs: unused<AnalysisFiles>('outputs'),
    worker: unused<AnalysisWorker>('worker'),
    marketData: marketData ?? unused<MarketUniverseSource>('marketData'),
    idempotency,
    newId: () => `01JQ000000000000000000${String(counter++).padStart(4, '0')}`,
    now: () => FROZEN_NOW,
  });
  return { effects, items, objects };
};
