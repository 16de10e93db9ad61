import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createBuckets, localS3ClientConfig, type RunningLocalS3, startLocalS3 } from './local-s3';
import { isPortFree } from './ports';

jest.setTimeout(30_000);

describe('local S3', () => {
  let s3: RunningLocalS3;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await startLocalS3({ buckets: ['kupala-test-datasets-000000000000'] });
    client = new S3Client(localS3ClientConfig(s3.endpoint));
  });
  afterAll(async () => {
    client.destroy();
    await s3.stop();
  });

  it('serves the configured buckets and creates more idempotently through the S3 API', async () => {
    await createBuckets(s3.endpoint, ['kupala-test-exports']);
    await createBuckets(s3.endpoint, ['kupala-test-exports', 'kupala-test-datasets-000000000000']);
    const { Buckets } = await client.send(new ListBucketsCommand({}));
    expect(Buckets?.map((bucket) => bucket.Name).sort()).toEqual([
      'kupala-test-datasets-000000000000',
      'kupala-test-exports',
    ]);
  });

  it('puts and gets an object with the real SDK', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: 'kupala-test-datasets-000000000000',
        Key: 'u1/prices.csv',
        Body: 'date,close\n2026-01-02,190.5\n',
        ContentType: 'text/csv',
      }),
    );
    const object = await client.send(
      new GetObjectCommand({ Bucket: 'kupala-test-datasets-000000000000', Key: 'u1/prices.csv' }),
    );
    expect(object.ContentType).toBe('text/csv');
    expect(await object.Body?.transformToString()).toBe('date,close\n2026-01-02,190.5\n');
  });

  it('accepts an upload to a presigned PUT URL and serves it on a presigned GET URL', async () => {
    const bucket = 'kupala-test-datasets-000000000000';
    const put = await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: 'u1/upload.csv' }), {
      expiresIn: 300,
    });
    expect(put.startsWith(`${s3.endpoint}/${bucket}/u1/upload.csv?`)).toBe(true);
    const uploaded = await fetch(put, { method: 'PUT', body: 'a,b\n1,2\n' });
    expect(uploaded.status).toBe(200);
    const get = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: 'u1/upload.csv' }), {
      expiresIn: 300,
    });
    const downloaded = await fetch(get);
    expect(await downloaded.text()).toBe('a,b\n1,2\n');
  });

  it('answers a browser preflight for presigned uploads (CORS)', async () => {
    const response = await fetch(`${s3.endpoint}/kupala-test-datasets-000000000000/u1/x.csv`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'PUT' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('local S3 storage', () => {
  it('removes its temporary directory and frees the port on stop', async () => {
    const before = new Set(await readdir(tmpdir()));
    const s3 = await startLocalS3({ buckets: ['b1'] });
    const created = (await readdir(tmpdir())).filter(
      (name) => !before.has(name) && name.startsWith('kupala-s3-'),
    );
    expect(created).toHaveLength(1);
    await s3.stop();
    expect(existsSync(join(tmpdir(), created[0] ?? 'missing'))).toBe(false);
    expect(await isPortFree(s3.port)).toBe(true);
  });

  it('keeps objects in a given directory across restarts', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kupala-s3-persist-'));
    try {
      const first = await startLocalS3({ directory, buckets: ['kept'] });
      const firstClient = new S3Client(localS3ClientConfig(first.endpoint));
      await firstClient.send(new PutObjectCommand({ Bucket: 'kept', Key: 'k', Body: 'v' }));
      firstClient.destroy();
      await first.stop();
      const second = await startLocalS3({ directory });
      const secondClient = new S3Client(localS3ClientConfig(second.endpoint));
      const object = await secondClient.send(new GetObjectCommand({ Bucket: 'kept', Key: 'k' }));
      expect(await object.Body?.transformToString()).toBe('v');
      secondClient.destroy();
      await second.stop();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
