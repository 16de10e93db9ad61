import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { tokenFor } from '@kupala/local-stack';
import { getEnvVariable } from '@kupala/trade-model';
import { invoke, objectCreatedEvent, subOf } from '@kupala/trade-model/testing';
import { datasetRequest } from '../../testing/requests';
import { main as createDataset } from '../createDataset/handler';
import { main as getDataset } from '../getDataset/handler';
import { ABANDONED_UPLOAD_ERROR, main as abandonDatasetUpload } from './handler';

describe('dataset upload given up on by Lambda: the on-failure destination ends it FAILED (DynamoDB Local, local S3)', () => {
  const s3 = new S3Client({ forcePathStyle: true });
  const bucket = getEnvVariable('DATASETS_BUCKET');
  afterAll(() => s3.destroy());

  it('ends a PENDING upload FAILED with a message saying what to do, removes its file, and leaves a READY dataset alone', async () => {
    const token = await tokenFor(`abandoned-${Date.now()}`);
    const create = async (body: Record<string, unknown>) =>
      (await invoke(createDataset, { method: 'POST', path: '/datasets', token, body })).body as {
        datasetId: string;
        uploadUrl?: string;
        uploadFields?: Record<string, string>;
      };
    const pending = await create({ name: 'Stuck', format: 'csv' });
    const form = new FormData();
    for (const [name, value] of Object.entries(pending.uploadFields ?? {})) form.append(name, value);
    form.append('file', new Blob(['a\n1\n']));
    expect((await fetch(pending.uploadUrl ?? '', { method: 'POST', body: form })).status).toBeLessThan(300);
    const ready = await create({ name: 'Fine', format: 'csv', content: 'a\n1\n' });

    // what Lambda sends the destination: the original S3 events and the last error
    const failedFor = (datasetId: string) => ({
      requestPayload: objectCreatedEvent(bucket, `uploads/${subOf(token)}/${datasetId}`),
      responsePayload: { errorType: 'ProvisionedThroughputExceededException', errorMessage: 'busy' },
    });
    await abandonDatasetUpload(failedFor(pending.datasetId));
    await abandonDatasetUpload(failedFor(ready.datasetId));

    const read = async (datasetId: string) =>
      (await invoke(getDataset, datasetRequest('GET', datasetId, token))).body as Record<string, unknown>;
    expect(await read(pending.datasetId)).toMatchObject({ status: 'FAILED', error: ABANDONED_UPLOAD_ERROR });
    expect(await read(ready.datasetId)).toMatchObject({ status: 'READY', rows: 1 });
    const uploads = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `uploads/${subOf(token)}/` }),
    );
    expect(uploads.Contents ?? []).toEqual([]);
  });
});
