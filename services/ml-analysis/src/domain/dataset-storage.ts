import { ConflictError, type Dataset, logger, NotFoundError } from '@kupala/trade-model';
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

/** The caller's dataset, READY to be read: 404 when it is not theirs, 409 while its upload is PENDING or FAILED. */
export const readyDataset = async (
  datasets: DatasetsStore,
  sub: string,
  datasetId: string,
): Promise<Dataset> => {
  const dataset = await datasets.getDataset(sub, datasetId);
  if (dataset === undefined) throw new NotFoundError('Dataset');
  if (dataset.status === 'PENDING')
    throw new ConflictError('the dataset is PENDING: its file has not been uploaded and profiled yet');
  if (dataset.status === 'FAILED')
    throw new ConflictError(`the dataset FAILED: ${dataset.error ?? 'its file was refused'}`);
  return dataset;
};
