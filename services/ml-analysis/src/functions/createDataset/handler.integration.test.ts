import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { tokenFor } from '@kupala/local-stack';
import { getEnvVariable } from '@kupala/trade-model';
import { invoke, subOf } from '@kupala/trade-model/testing';
import { Workbook } from 'exceljs';
import { datasetRequest } from '../../testing/requests';
import { main as deleteDataset } from '../deleteDataset/handler';
import { main as getDataset } from '../getDataset/handler';
import { main as listDatasets } from '../listDatasets/handler';
import { main as createDataset } from './handler';

type DatasetBody = { datasetId: string; rows: number; columns: unknown[]; preview?: string[][] };

const create = (token: string, body: unknown) =>
  invoke(createDataset, { method: 'POST', path: '/datasets', token, body });

// 25 data rows: day index i has close 100 + i and a label; the header names 3 columns.
const CSV = [
  'date,close,label',
  ...Array.from(
    { length: 25 },
    (_, index) => `2026-01-${String(index + 1).padStart(2, '0')},${100 + index},"row ${index + 1}"`,
  ),
].join('\n');

describe('datasets against DynamoDB Local and the local S3 server', () => {
  const run = Date.now();
  // Configured like the handlers: endpoint and credentials from the environment the global setup exported.
  const s3 = new S3Client({ forcePathStyle: true });
  const bucket = getEnvVariable('DATASETS_BUCKET');
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    alice = await tokenFor(`alice-datasets-${run}`);
    bob = await tokenFor(`bob-datasets-${run}`);
  });
  afterAll(() => s3.destroy());

  const objectsUnder = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
      (object) => object.Key,
    );

  it('creates, reads, lists and deletes a dataset, keeping the raw file in S3 meanwhile', async () => {
    // create
    const created = await create(alice, { name: 'Closes', format: 'csv', content: CSV });
    expect(created.statusCode).toBe(201);
    const dataset = created.body as DatasetBody;
    expect(dataset).toMatchObject({
      name: 'Closes',
      format: 'csv',
      rows: 25,
      columns: [
        { name: 'date', type: 'date' },
        { name: 'close', type: 'number' },
        { name: 'label', type: 'string' },
      ],
      sizeBytes: Buffer.byteLength(CSV),
    });

    // the raw file, byte for byte, under the owner's prefix
    const key = `${subOf(alice)}/datasets/${dataset.datasetId}/source.csv`;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(await object.Body?.transformToString('utf-8')).toBe(CSV);

    // read: schema, row count and the first 20 rows as strings
    const read = await invoke(getDataset, datasetRequest('GET', dataset.datasetId, alice));
    expect(read.statusCode).toBe(200);
    const detail = read.body as DatasetBody;
    expect(detail.rows).toBe(25);
    expect(detail.preview).toHaveLength(20);
    expect(detail.preview?.[0]).toEqual(['2026-01-01', '100', 'row 1']);
    expect(detail.preview?.[19]).toEqual(['2026-01-20', '119', 'row 20']);

    // list
    const listed = await invoke(listDatasets, { method: 'GET', path: '/datasets', token: alice });
    expect((listed.body as { items: DatasetBody[] }).items.map((item) => item.datasetId)).toEqual([
      dataset.datasetId,
    ]);

    // delete: file and metadata gone
    const deleted = await invoke(deleteDataset, datasetRequest('DELETE', dataset.datasetId, alice));
    expect(deleted.statusCode).toBe(204);
    expect(await objectsUnder(`${subOf(alice)}/datasets/${dataset.datasetId}/`)).toEqual([]);
    expect((await invoke(getDataset, datasetRequest('GET', dataset.datasetId, alice))).statusCode).toBe(404);
    expect((await invoke(deleteDataset, datasetRequest('DELETE', dataset.datasetId, alice))).statusCode).toBe(
      404,
    );
  });

  it("answers 404 to another user for a dataset's read and delete, and leaves it intact", async () => {
    const created = await create(alice, { name: 'Private', format: 'csv', content: 'a,b\n1,2\n' });
    const { datasetId } = created.body as DatasetBody;

    const read = await invoke(getDataset, datasetRequest('GET', datasetId, bob));
    expect(read.statusCode).toBe(404);
    expect(read.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Dataset not found' } });
    expect((await invoke(deleteDataset, datasetRequest('DELETE', datasetId, bob))).statusCode).toBe(404);
    const bobsList = await invoke(listDatasets, { method: 'GET', path: '/datasets', token: bob });
    expect(bobsList.body).toEqual({ items: [], nextCursor: null });

    expect((await invoke(getDataset, datasetRequest('GET', datasetId, alice))).statusCode).toBe(200);
    expect(await objectsUnder(`${subOf(alice)}/datasets/${datasetId}/`)).toHaveLength(1);
  });

  it('stores an xlsx sheet as CSV that reads back like any dataset', async () => {
    const dave = await tokenFor(`dave-datasets-${run}`);
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Closes');
    sheet.addRow(['date', 'close']);
    sheet.addRow([new Date(Date.UTC(2026, 0, 2)), 101.25]);
    sheet.addRow([new Date(Date.UTC(2026, 0, 5)), 99]);
    const file = Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const created = await create(dave, { name: 'Closes', format: 'xlsx', content: file.toString('base64') });
    expect(created.statusCode).toBe(201);
    const { datasetId } = created.body as DatasetBody;
    const read = await invoke(getDataset, datasetRequest('GET', datasetId, dave));
    expect(read.body).toMatchObject({
      format: 'xlsx',
      rows: 2,
      sizeBytes: file.length,
      preview: [
        ['2026-01-02', '101.25'],
        ['2026-01-05', '99'],
      ],
    });
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: `${subOf(dave)}/datasets/${datasetId}/source.csv` }),
    );
    expect(await stored.Body?.transformToString()).toBe('date,close\n2026-01-02,101.25\n2026-01-05,99\n');
  });

  it('refuses ragged CSV and corrupt xlsx with 400 and stores nothing', async () => {
    const carol = await tokenFor(`carol-datasets-${run}`);
    const ragged = await create(carol, { name: 'Ragged', format: 'csv', content: 'a,b\n1,2\n3\n4,5\n' });
    expect(ragged.statusCode).toBe(400);
    expect((ragged.body as { error: { details: unknown[] } }).error.details).toEqual([
      { path: 'content', message: 'row 2 (line 3) has 1 field; the header has 2' },
    ]);
    const xlsx = await create(carol, { name: 'Sheet', format: 'xlsx', content: 'UEsDBBQ=' });
    expect(xlsx.statusCode).toBe(400);
    expect(xlsx.body).toMatchObject({ error: { message: 'XLSX file is corrupt or not a workbook' } });
    expect((await invoke(listDatasets, { method: 'GET', path: '/datasets', token: carol })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(await objectsUnder(`${subOf(carol)}/`)).toEqual([]);
  });
});
