import { type Dataset, logger } from '@kupala/trade-model';
import type { DatasetFiles } from '../adapters/dataset-files';
import type { DatasetsStore } from '../adapters/datasets-store';

/**
 * Stores a new dataset: its file, then its metadata. When the metadata cannot be written the file is taken back,
 * so a failure leaves nothing behind that could never be listed or deleted.
 */
export const storeNewDataset = async (
  stores: { datasets: DatasetsStore; files: DatasetFiles },
  sub: string,
  dataset: Dataset,
  content: string,
): Promise<void> => {
  await stores.files.putSource(sub, dataset.datasetId, content);
  try {
    await stores.datasets.putDataset(sub, dataset);
  } catch (error: unknown) {
    await stores.files.deleteSource(sub, dataset.datasetId).catch((cleanupError: unknown) => {
      logger.error('dataset file left without metadata', {
        datasetId: dataset.datasetId,
        error: cleanupError,
      });
    });
    throw error;
  }
};
