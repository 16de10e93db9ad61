import { randomBytes } from 'node:crypto';
import { KmsKeyringNode } from '@aws-crypto/kms-keyring-node';
import { RawAesKeyringNode } from '@aws-crypto/raw-aes-keyring-node';
import { MissingEnvironmentVariableError } from '@kupala/trade-model';
import { CredentialContextMismatchError, openCredential, sealCredential } from '../domain/credentials';
import { buildCredentialDecryptor } from './credentials-decryptor';
import { buildCredentialEncryptor } from './credentials-encryptor';
import {
  credentialsKeyringFromEnvironment,
  LocalCredentialsKeyOnDeployedStageError,
  rawAesKeyring,
} from './credentials-keyring';

const freshKey = () => randomBytes(32).toString('base64');
const VARIABLES = ['STAGE', 'CREDENTIALS_LOCAL_KEY', 'CREDENTIALS_KEY_ARN'] as const;

describe('credentialsKeyringFromEnvironment: which keyring a stage gets', () => {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  const configure = (variables: Partial<Record<(typeof VARIABLES)[number], string>>) => {
    for (const name of VARIABLES) delete process.env[name];
    Object.assign(process.env, variables);
  };
  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it.each(['local', 'test'])('a raw AES key on stage %s', (stage) => {
    configure({ STAGE: stage, CREDENTIALS_LOCAL_KEY: freshKey() });
    expect(credentialsKeyringFromEnvironment()).toBeInstanceOf(RawAesKeyringNode);
  });

  it.each(['prod', 'dev', 'staging'])(
    'a raw AES key on the deployable stage %s is refused, even with a KMS key at hand',
    (stage) => {
      configure({
        STAGE: stage,
        CREDENTIALS_LOCAL_KEY: freshKey(),
        CREDENTIALS_KEY_ARN: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      });
      expect(() => credentialsKeyringFromEnvironment()).toThrow(LocalCredentialsKeyOnDeployedStageError);
    },
  );

  it('the KMS key of the stack otherwise', () => {
    configure({
      STAGE: 'prod',
      CREDENTIALS_LOCAL_KEY: '',
      CREDENTIALS_KEY_ARN: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    expect(credentialsKeyringFromEnvironment()).toBeInstanceOf(KmsKeyringNode);
  });

  it('no key at all is a configuration error, never a silent plaintext', () => {
    configure({ STAGE: 'prod' });
    expect(() => credentialsKeyringFromEnvironment()).toThrow(MissingEnvironmentVariableError);
  });

  it('a local key that is not 32 bytes is refused', () => {
    expect(() => rawAesKeyring(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('envelope encryption with the AWS Encryption SDK (raw AES keyring)', () => {
  const keyring = rawAesKeyring(freshKey());
  const encryptor = buildCredentialEncryptor(keyring);
  const decryptor = buildCredentialDecryptor(keyring);
  const alice = { userId: 'alice', provider: 'ibkr' };
  const fields = { token: 'flex-token-0123456789abcdef', queryId: '987654' };

  it('round-trips, and the ciphertext holds neither the secrets nor their masks in the clear', async () => {
    const sealed = await sealCredential(encryptor, alice, fields, '2026-01-02T10:00:00.000Z');
    const bytes = Buffer.from(sealed.ciphertext).toString('latin1');
    expect(bytes).not.toContain('flex-token');
    expect(bytes).not.toContain('987654');
    expect(sealed.masked).toEqual({ token: '••••cdef', queryId: '••••' });
    expect(await openCredential(decryptor, alice, sealed.ciphertext)).toEqual(fields);
  });

  it("refuses a ciphertext opened as another user's or another provider's (the SDK itself would not)", async () => {
    const sealed = await sealCredential(encryptor, alice, fields, '2026-01-02T10:00:00.000Z');
    // the SDK decrypts it happily: the check is ours
    const raw = await decryptor.decrypt(sealed.ciphertext);
    expect(raw.context).toMatchObject(alice);
    await expect(
      openCredential(decryptor, { userId: 'mallory', provider: 'ibkr' }, sealed.ciphertext),
    ).rejects.toThrow(CredentialContextMismatchError);
    await expect(
      openCredential(decryptor, { userId: 'alice', provider: 'schwab' }, sealed.ciphertext),
    ).rejects.toThrow(CredentialContextMismatchError);
  });

  it('refuses a tampered ciphertext and one sealed under another key', async () => {
    const sealed = await sealCredential(encryptor, alice, fields, '2026-01-02T10:00:00.000Z');
    const tampered = Uint8Array.from(sealed.ciphertext);
    const last = tampered.length - 120; // inside the encrypted body, before the signature
    tampered[last] = (tampered[last] ?? 0) ^ 0x01;
    await expect(openCredential(decryptor, alice, tampered)).rejects.toThrow();
    const stranger = buildCredentialDecryptor(rawAesKeyring(freshKey()));
    await expect(openCredential(stranger, alice, sealed.ciphertext)).rejects.toThrow();
  });
});
