import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { localSubFor, tokenFor } from '@kupala/local-stack';
import { createDocumentClient, getEnvVariable, logger } from '@kupala/trade-model';
import { invoke } from '@kupala/trade-model/testing';
import { buildCredentialDecryptor } from '../../adapters/credentials-decryptor';
import { credentialsKeyringFromEnvironment } from '../../adapters/credentials-keyring';
import { buildCredentialsStore } from '../../adapters/credentials-store';
import { credentialsSideEffects } from '../../credentials-side-effects';
import { CredentialContextMismatchError, readCredential } from '../../domain/credentials';
import { credentialsApi } from '../../testing/credentials-requests';
import { buildHandler } from './handler';
import { putCredentialSideEffects } from './sideEffects';

jest.setTimeout(60_000);

const IBKR = { token: 'ibkr-flex-token-4f1c9e2a7b5d1234', queryId: 'q-918273' };
const SCHWAB = { appKey: 'schwab-app-key-zz9QkPq1x0Y7aB2c', appSecret: 'schwab-secret-Lm3Nq8' };
const PLAINTEXTS = [...Object.values(IBKR), ...Object.values(SCHWAB)];

describe('credentials through the handlers (DynamoDB Local, raw AES keyring of the test stage)', () => {
  const client = createDocumentClient();
  const tableName = () => getEnvVariable('CREDENTIALS_TABLE');
  const store = () => buildCredentialsStore(client, tableName());
  const decryptor = () => buildCredentialDecryptor(credentialsKeyringFromEnvironment());
  const run = `${Date.now()}`;
  let alice: ReturnType<typeof credentialsApi>;
  let mallory: ReturnType<typeof credentialsApi>;
  const aliceSub = localSubFor(`cred-alice-${run}`);
  const mallorySub = localSubFor(`cred-mallory-${run}`);

  beforeAll(async () => {
    alice = credentialsApi(await tokenFor(`cred-alice-${run}`));
    mallory = credentialsApi(await tokenFor(`cred-mallory-${run}`));
  });

  it('PUT stores, GET shows only masks, DELETE removes; nothing at rest or on the wire is plaintext', async () => {
    expect((await alice.put('ibkr', { fields: IBKR })).statusCode).toBe(204);
    expect((await alice.put('schwab', { fields: SCHWAB })).statusCode).toBe(204);

    const listed = await alice.list();
    expect(listed.statusCode).toBe(200);
    // masks by hand: 32 characters → last 4; "q-918273" is 8 (< 12) → nothing; 31 → last 4; 20 → last 4
    expect(listed.body).toEqual({
      items: [
        { provider: 'ibkr', fields: { token: '••••1234', queryId: '••••' }, updatedAt: expect.any(String) },
        {
          provider: 'schwab',
          fields: { appKey: '••••aB2c', appSecret: '••••3Nq8' },
          updatedAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    for (const secret of PLAINTEXTS) expect(JSON.stringify(listed.body)).not.toContain(secret);

    const { Item } = await client.send(
      new GetCommand({ TableName: tableName(), Key: { pk: aliceSub, sk: 'ibkr' } }),
    );
    const atRest = Buffer.from(JSON.stringify(Item)).toString('latin1');
    const ciphertext = Buffer.from(Item?.ciphertext as Uint8Array).toString('latin1');
    for (const secret of Object.values(IBKR)) {
      expect(atRest).not.toContain(secret);
      expect(ciphertext).not.toContain(secret);
    }
    // the decrypt path a provider adapter would use gets the fields back
    expect(await readCredential(store(), decryptor(), aliceSub, 'ibkr')).toEqual(IBKR);

    expect((await alice.remove('schwab')).statusCode).toBe(204);
    expect(((await alice.list()).body as { items: unknown[] }).items).toHaveLength(1);
    expect((await alice.remove('schwab')).statusCode).toBe(404);
  });

  it('PUT replaces the whole set of fields', async () => {
    await alice.put('alpha-vantage', { fields: { apiKey: 'first-key-aaaaaaaaaaaa', extra: 'x' } });
    await alice.put('alpha-vantage', { fields: { apiKey: 'second-key-bbbbbbbbbbbb' } });
    expect(await readCredential(store(), decryptor(), aliceSub, 'alpha-vantage')).toEqual({
      apiKey: 'second-key-bbbbbbbbbbbb',
    });
  });

  it('another user sees none of them, and cannot delete or overwrite them (404 / their own record)', async () => {
    await alice.put('ibkr', { fields: IBKR });
    expect((await mallory.list()).body).toEqual({ items: [], nextCursor: null });
    expect((await mallory.remove('ibkr')).statusCode).toBe(404);
    // mallory's PUT writes mallory's own record, never alice's
    expect((await mallory.put('ibkr', { fields: { token: 'mallory-token-000000000000' } })).statusCode).toBe(
      204,
    );
    expect(await readCredential(store(), decryptor(), aliceSub, 'ibkr')).toEqual(IBKR);
    expect((await mallory.remove('ibkr')).statusCode).toBe(204);
    expect(await readCredential(store(), decryptor(), aliceSub, 'ibkr')).toEqual(IBKR);
  });

  it("a ciphertext copied into another user's or another provider's record is refused on decrypt", async () => {
    await alice.put('ibkr', { fields: IBKR });
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName(), Key: { pk: aliceSub, sk: 'ibkr' } }),
    );
    expect(Item).toBeDefined();
    // an attacker with write access to the table copies alice's item into mallory's partition…
    await client.send(new PutCommand({ TableName: tableName(), Item: { ...Item, pk: mallorySub } }));
    // …and into alice's own record of another provider
    await client.send(new PutCommand({ TableName: tableName(), Item: { ...Item, sk: 'yahoo' } }));

    await expect(readCredential(store(), decryptor(), mallorySub, 'ibkr')).rejects.toThrow(
      CredentialContextMismatchError,
    );
    await expect(readCredential(store(), decryptor(), aliceSub, 'yahoo')).rejects.toThrow(
      CredentialContextMismatchError,
    );
    // the genuine record still opens
    expect(await readCredential(store(), decryptor(), aliceSub, 'ibkr')).toEqual(IBKR);
  });

  it('GET pages through many providers with a cursor bound to the caller', async () => {
    const paging = credentialsApi(await tokenFor(`cred-paging-${run}`));
    for (const provider of ['p-a', 'p-b', 'p-c'])
      expect(
        (await paging.put(provider, { fields: { key: `${provider}-secret-value-0000` } })).statusCode,
      ).toBe(204);
    const first = (await paging.list({ limit: '2' })).body as {
      items: { provider: string }[];
      nextCursor: string;
    };
    expect(first.items.map((item) => item.provider)).toEqual(['p-a', 'p-b']);
    const second = (await paging.list({ limit: '2', cursor: first.nextCursor })).body as {
      items: { provider: string }[];
    };
    expect(second.items.map((item) => item.provider)).toEqual(['p-c']);
    // another user's cursor starts nothing in the owner's data: 400
    expect((await mallory.list({ limit: '2', cursor: first.nextCursor })).statusCode).toBe(400);
  });

  it.each([
    ['an unknown top-level key', { fields: { apiKey: 'x' }, owner: 'bob' }],
    ['no fields', { fields: {} }],
    ['eleven fields', { fields: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, 'v'])) }],
    ['a bad field name', { fields: { 'api key': 'x' } }],
    ['an empty value', { fields: { apiKey: '' } }],
    ['a value over 4096 characters', { fields: { apiKey: 'k'.repeat(4097) } }],
    ['a control character', { fields: { apiKey: 'abc\u0000def' } }],
    ['a value that is not a string', { fields: { apiKey: 12345 } }],
  ])('PUT refuses %s with 400 and stores nothing', async (_case, body) => {
    expect((await alice.put('refused', body)).statusCode).toBe(400);
    expect(await store().get(aliceSub, 'refused')).toBeUndefined();
  });

  it.each(['IBKR', 'a'.repeat(33), '-ibkr', 'ib_kr'])(
    'refuses the provider id %s with 400',
    async (provider) => {
      expect((await alice.put(provider, { fields: { apiKey: 'abc' } })).statusCode).toBe(400);
      expect((await alice.remove(provider)).statusCode).toBe(400);
    },
  );

  it('accepts the bounds: 10 fields, a 4096-character value, a PEM key with line breaks', async () => {
    const fields = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, `value-${i}`]));
    fields.f0 = 'é'.repeat(4096);
    fields.f1 = '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
    expect((await alice.put('bounds', { fields })).statusCode).toBe(204);
    expect(await readCredential(store(), decryptor(), aliceSub, 'bounds')).toEqual(fields);
  });

  describe('nothing is logged in plaintext, on success or failure', () => {
    let lines: string[];
    let spies: jest.SpyInstance[];
    let level: string;
    beforeEach(() => {
      lines = [];
      spies = [process.stdout, process.stderr].map((stream) =>
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          lines.push(String(chunk));
          return true;
        }),
      );
      level = logger.getLevelName();
      logger.setLogLevel('DEBUG');
    });
    afterEach(() => {
      logger.setLogLevel(level as Parameters<typeof logger.setLogLevel>[0]);
      for (const spy of spies) spy.mockRestore();
    });

    it('PUT, GET, DELETE, refusals and failures write log lines without the secrets', async () => {
      await alice.put('logged', { fields: IBKR });
      await alice.list();
      // refusals: an unknown key and a bad value, each next to the secrets
      await alice.put('logged', { fields: IBKR, note: 'x' });
      await alice.put('logged', { fields: { ...IBKR, bad: 'a\u0001b' } });
      // failures after the body was read: the store and the encryption throw
      const failingStore = buildHandler(() => ({
        ...putCredentialSideEffects(),
        credentials: {
          ...credentialsSideEffects().credentials,
          put: async () => {
            throw new Error('ProvisionedThroughputExceededException: rate exceeded');
          },
        },
      }));
      const failingEncryption = buildHandler(() => ({
        ...putCredentialSideEffects(),
        encryptor: {
          encrypt: async () => {
            throw new Error('KMS GenerateDataKey: AccessDeniedException');
          },
        },
      }));
      const request = {
        method: 'PUT',
        path: '/credentials/logged',
        routePath: '/credentials/{provider}',
        pathParameters: { provider: 'logged' },
        token: await tokenFor(`cred-alice-${run}`),
        body: { fields: IBKR },
      };
      expect((await invoke(failingStore, request)).statusCode).toBe(500);
      expect((await invoke(failingEncryption, request)).statusCode).toBe(500);
      await alice.remove('logged');
      await alice.remove('logged');

      const text = lines.join('');
      // the capture works: the access log and the two failures are there
      expect(text).toContain('"route":"PUT /credentials/{provider}"');
      expect(text).toContain('ProvisionedThroughputExceededException');
      expect(text).toContain('AccessDeniedException');
      for (const secret of Object.values(IBKR)) expect(text).not.toContain(secret);
    });
  });
});
