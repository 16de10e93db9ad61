import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DYNAMODB_LOCAL_PACKAGE_INTEGRITY,
  ensureDynamoDbLocal,
  IntegrityMismatchError,
  sha512Integrity,
  startDynamoDbLocal,
} from './dynamodb-local';
import { isPortFree } from './ports';
import { createTables, localDynamoDbClient, tableInputsFromResources } from './tables';
import { TRADES_TABLE_NAME, tradesTableResource } from './trades-table.fixture';

// Each JVM start takes ~2 s (more on a busy 2-core machine); a first fetch packs 56 MB.
jest.setTimeout(120_000);

const resources = { TradesTable: tradesTableResource };

describe('DynamoDB Local jar', () => {
  it('is served from the cache once fetched', async () => {
    await ensureDynamoDbLocal();
    const started = Date.now();
    const installation = await ensureDynamoDbLocal();
    expect(installation.fromCache).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
    expect(existsSync(installation.jarPath)).toBe(true);
    expect(existsSync(installation.libraryPath)).toBe(true);
  });

  describe('first fetch into an empty cache', () => {
    let cacheRoot: string;
    beforeAll(async () => {
      cacheRoot = await mkdtemp(join(tmpdir(), 'kupala-ddb-cache-'));
    });
    afterAll(() => rm(cacheRoot, { recursive: true, force: true }));

    it('refuses a tarball whose sha512 differs from the pinned one and caches nothing', async () => {
      const cacheDir = join(cacheRoot, 'mismatch');
      const wrong = `sha512-${Buffer.alloc(64).toString('base64')}`;
      await expect(ensureDynamoDbLocal({ cacheDir, integrity: wrong })).rejects.toThrow(
        IntegrityMismatchError,
      );
      expect(await readdir(cacheDir)).toEqual([]);
    });

    it('lets concurrent first fetches race safely: one emulator, no leftovers', async () => {
      const cacheDir = join(cacheRoot, 'race');
      const installations = await Promise.all([
        ensureDynamoDbLocal({ cacheDir }),
        ensureDynamoDbLocal({ cacheDir }),
      ]);
      expect(installations.every((installation) => existsSync(installation.jarPath))).toBe(true);
      expect(await readdir(cacheDir)).toEqual(['emulator']);
      expect(await readdir(join(cacheDir, 'emulator'))).toContain('DynamoDBLocal.jar');
    });
  });

  it('computes SRI hashes the way npm does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kupala-sri-'));
    try {
      const file = join(dir, 'empty');
      await (await import('node:fs/promises')).writeFile(file, '');
      expect(await sha512Integrity(file)).toBe(
        'sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(DYNAMODB_LOCAL_PACKAGE_INTEGRITY).toMatch(/^sha512-/);
  });
});

describe('startDynamoDbLocal', () => {
  it('starts in memory on a free port, serves tables with streams and GSIs, and frees the port on stop', async () => {
    const dynamodb = await startDynamoDbLocal();
    const client = localDynamoDbClient(dynamodb.endpoint);
    try {
      expect(await isPortFree(dynamodb.port)).toBe(false);
      const inputs = tableInputsFromResources(resources);
      expect(await createTables(dynamodb.endpoint, inputs)).toEqual([TRADES_TABLE_NAME]);
      expect(await createTables(dynamodb.endpoint, inputs)).toEqual([]);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: TRADES_TABLE_NAME }));
      expect(Table?.StreamSpecification).toEqual({
        StreamEnabled: true,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      });
      expect(Table?.LatestStreamArn).toMatch(/^arn:aws:dynamodb:/);
      expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['gsi1']);
      await client.send(
        new PutItemCommand({
          TableName: TRADES_TABLE_NAME,
          Item: { pk: { S: 'u#1' }, sk: { S: 'p#1' } },
        }),
      );
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: TRADES_TABLE_NAME,
          Key: { pk: { S: 'u#1' }, sk: { S: 'p#1' } },
        }),
      );
      expect(Item).toEqual({ pk: { S: 'u#1' }, sk: { S: 'p#1' } });
    } finally {
      client.destroy();
      await dynamodb.stop();
    }
    expect(await isPortFree(dynamodb.port)).toBe(true);
    expect(() => process.kill(dynamodb.pid, 0)).toThrow();
  });

  it('keeps tables across restarts with persistDir', async () => {
    const persistDir = await mkdtemp(join(tmpdir(), 'kupala-ddb-persist-'));
    try {
      const first = await startDynamoDbLocal({ persistDir });
      await createTables(first.endpoint, tableInputsFromResources(resources));
      await first.stop();
      const second = await startDynamoDbLocal({ persistDir });
      const client = localDynamoDbClient(second.endpoint);
      try {
        expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([TRADES_TABLE_NAME]);
      } finally {
        client.destroy();
        await second.stop();
      }
    } finally {
      await rm(persistDir, { recursive: true, force: true });
    }
  });

  it('fails clearly when the port is taken', async () => {
    const running = await startDynamoDbLocal();
    try {
      await expect(startDynamoDbLocal({ port: running.port })).rejects.toThrow(
        `Port ${running.port} (DynamoDB Local) is already in use`,
      );
    } finally {
      await running.stop();
    }
  });
});
