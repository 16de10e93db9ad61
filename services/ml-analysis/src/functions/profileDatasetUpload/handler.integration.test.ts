import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { tokenFor } from '@kupala/local-stack';
import { getEnvVariable } from '@kupala/trade-model';
import { invoke, objectCreatedEvent, subOf } from '@kupala/trade-model/testing';
import { Workbook } from 'exceljs';
import { datasetRequest } from '../../testing/requests';
import { main as createDataset } from '../createDataset/handler';
import { main as createView } from '../createView/handler';
import { main as deleteDataset } from '../deleteDataset/handler';
import { main as getDataset } from '../getDataset/handler';
import { main as profileDatasetUpload } from './handler';

interface Created {
  datasetId: string;
  status: string;
  uploadUrl: string;
  uploadFields: Record<string, string>;
  uploadExpiresAt: string;
}

describe('dataset upload: presigned POST to the local S3 server, then profiling on the object event', () => {
  const s3 = new S3Client({ forcePathStyle: true });
  const bucket = getEnvVariable('DATASETS_BUCKET');
  let token: string;
  beforeAll(async () => {
    token = await tokenFor(`uploader-${Date.now()}`);
  });
  afterAll(() => s3.destroy());

  const start = async (body: Record<string, unknown>): Promise<Created> => {
    const created = await invoke(createDataset, { method: 'POST', path: '/datasets', token, body });
    expect(created.statusCode).toBe(201);
    return created.body as Created;
  };
  /** What a browser does with the answer: a multipart POST of the signed fields, then the file. */
  const upload = async (created: Created, file: Uint8Array | string) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(created.uploadFields)) form.append(name, value);
    form.append('file', new Blob([file]));
    return fetch(created.uploadUrl, { method: 'POST', body: form });
  };
  /** What S3 does once the file is stored (the local platform forwards the same event). */
  const stored = (created: Created) =>
    profileDatasetUpload(objectCreatedEvent(bucket, `uploads/${subOf(token)}/${created.datasetId}`));
  const read = async (datasetId: string) =>
    (await invoke(getDataset, datasetRequest('GET', datasetId, token))).body as {
      status: string;
      rows: number;
      columns: unknown[];
      sizeBytes: number;
      error?: string;
      preview: string[][];
    };
  const keysUnder = async (prefix: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
      (object) => object.Key,
    );

  it('answers a PENDING dataset with a signed form bound to the size limit, then profiles the stored CSV to READY', async () => {
    const created = await start({ name: 'Big closes', format: 'csv' });
    expect(created.status).toBe('PENDING');
    expect(Date.parse(created.uploadExpiresAt)).toBeGreaterThan(Date.now() + 14 * 60 * 1000);
    expect(created.uploadFields.key).toBe(`uploads/${subOf(token)}/${created.datasetId}`);
    const policy = JSON.parse(Buffer.from(created.uploadFields.Policy ?? '', 'base64').toString()) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 256 * 1024 * 1024]);
    // not READY yet: no preview, and views refuse it with 409
    expect(await read(created.datasetId)).toMatchObject({
      status: 'PENDING',
      rows: 0,
      columns: [],
      preview: [],
    });
    const view = await invoke(createView, {
      method: 'POST',
      path: `/datasets/${created.datasetId}/views`,
      routePath: '/datasets/{datasetId}/views',
      pathParameters: { datasetId: created.datasetId },
      token,
      body: { filter: 'x > 1' },
    });
    expect(view.statusCode).toBe(409);

    // 30 rows: x = i (number), day = 2026-02-(i+1) for i < 28, blank after (a date column with missing values),
    // name = "n<i>" (string)
    const lines = ['x,day,name'];
    for (let i = 0; i < 30; i += 1)
      lines.push(`${i},${i < 28 ? `2026-02-${String(i + 1).padStart(2, '0')}` : ''},n${i}`);
    const csv = `${lines.join('\n')}\n`;
    expect((await upload(created, csv)).status).toBeLessThan(300);
    await stored(created);

    const ready = await read(created.datasetId);
    expect(ready).toMatchObject({
      status: 'READY',
      rows: 30,
      sizeBytes: Buffer.byteLength(csv),
      columns: [
        { name: 'x', type: 'number' },
        { name: 'day', type: 'date' },
        { name: 'name', type: 'string' },
      ],
    });
    expect(ready.preview).toHaveLength(20);
    expect(ready.preview[19]).toEqual(['19', '2026-02-20', 'n19']);
    // the upload became the source; nothing is left under uploads/
    expect(await keysUnder(`${subOf(token)}/datasets/${created.datasetId}/`)).toEqual([
      `${subOf(token)}/datasets/${created.datasetId}/source.csv`,
    ]);
    expect(await keysUnder(`uploads/${subOf(token)}/${created.datasetId}`)).toEqual([]);

    // a redelivered event changes nothing
    await stored(created);
    expect(await read(created.datasetId)).toEqual(ready);
  });

  it('ends a ragged CSV FAILED with the rows named, keeping nothing of the file', async () => {
    const created = await start({ name: 'Ragged', format: 'csv' });
    await upload(created, 'a,b\n1,2\n3\n4,5\n6,7,8\n');
    await stored(created);
    const failed = await read(created.datasetId);
    expect(failed).toMatchObject({ status: 'FAILED', rows: 0, preview: [] });
    expect(failed.error).toBe(
      'CSV is ragged: 2 rows do not match the header: row 2 (line 3) has 1 field; the header has 2; ' +
        'row 4 (line 5) has 3 fields; the header has 2',
    );
    expect(await keysUnder(`${subOf(token)}/datasets/${created.datasetId}/`)).toEqual([]);
    expect(await keysUnder(`uploads/${subOf(token)}/${created.datasetId}`)).toEqual([]);
  });

  it('reads an uploaded workbook (the sheet named at creation) and refuses a corrupt one', async () => {
    const workbook = new Workbook();
    workbook.addWorksheet('Other').addRow(['ignored']);
    const sheet = workbook.addWorksheet('Closes');
    sheet.addRow(['date', 'close']);
    sheet.addRow([new Date(Date.UTC(2026, 0, 2)), 101.25]);
    sheet.addRow([new Date(Date.UTC(2026, 0, 5)), 99]);
    const file = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const good = await start({ name: 'Book', format: 'xlsx', sheet: 'Closes' });
    const policy = JSON.parse(Buffer.from(good.uploadFields.Policy ?? '', 'base64').toString()) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 32 * 1024 * 1024]);
    await upload(good, file);
    await stored(good);
    expect(await read(good.datasetId)).toMatchObject({
      status: 'READY',
      rows: 2,
      sizeBytes: file.byteLength,
      columns: [
        { name: 'date', type: 'date' },
        { name: 'close', type: 'number' },
      ],
      preview: [
        ['2026-01-02', '101.25'],
        ['2026-01-05', '99'],
      ],
    });

    const bad = await start({ name: 'Broken', format: 'xlsx' });
    await upload(bad, 'this is not a zip archive');
    await stored(bad);
    const failed = await read(bad.datasetId);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/^XLSX file is corrupt or not a workbook: not a readable zip archive/);
  });

  it('ignores keys of another shape, and removes an upload whose dataset was deleted meanwhile', async () => {
    const created = await start({ name: 'Gone', format: 'csv' });
    expect((await invoke(deleteDataset, datasetRequest('DELETE', created.datasetId, token))).statusCode).toBe(
      204,
    );
    await upload(created, 'a\n1\n');
    await stored(created);
    expect(await keysUnder(`uploads/${subOf(token)}/${created.datasetId}`)).toEqual([]);
    expect(await keysUnder(`${subOf(token)}/datasets/${created.datasetId}/`)).toEqual([]);
    // not an upload key: ignored (nothing is read)
    await expect(
      profileDatasetUpload(objectCreatedEvent(bucket, `${subOf(token)}/datasets/x/source.csv`)),
    ).resolves.toBeUndefined();
  });
});
