import type { PutCredentialBody } from '@kupala/trade-model';

/** The secret fields of one provider, by name (plaintext: only ever in memory, never stored, logged or answered). */
export type CredentialFields = PutCredentialBody['fields'];

/** What encryption binds a ciphertext to: a ciphertext is only ever opened for this very user and provider. */
export interface CredentialContext {
  userId: string;
  provider: string;
}

/** Envelope encryption (adapters: AWS Encryption SDK with a KMS keyring in AWS, a raw AES keyring locally). */
export interface CredentialEncryptor {
  encrypt(plaintext: Uint8Array, context: CredentialContext): Promise<Uint8Array>;
}

export interface CredentialDecryptor {
  /** The plaintext and the encryption context the ciphertext's header carries (unchecked: see `openCredential`). */
  decrypt(ciphertext: Uint8Array): Promise<{ plaintext: Uint8Array; context: Record<string, string> }>;
}

/** A credential as stored: the ciphertext and the masks computed at write time, so a list never decrypts. */
export interface SealedCredential {
  provider: string;
  ciphertext: Uint8Array;
  masked: Record<string, string>;
  updatedAt: string;
}

export const MASK = '••••';

/**
 * `••••` and the last characters of a secret: 4 from 16 characters on, 3 for 12–15 (a quarter at most), none
 * under 12, so a short secret (a PIN, a short password) is never revealed. Counted in code points.
 */
export const maskSecret = (value: string): string => {
  const characters = [...value];
  const shown = characters.length < 12 ? 0 : Math.min(4, Math.floor(characters.length / 4));
  return MASK + characters.slice(characters.length - shown).join('');
};

export const maskFields = (fields: CredentialFields): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, maskSecret(value)]));

/** Keys the Encryption SDK adds to the context itself (the signing key of the default, signed suite). */
const SDK_CONTEXT_KEYS = new Set(['aws-crypto-public-key']);

export class CredentialContextMismatchError extends Error {
  override readonly name = 'CredentialContextMismatchError';
  constructor() {
    // names no value: the context of another user's record is not for the logs either
    super('The ciphertext is bound to another user or provider');
  }
}

/**
 * The Encryption SDK does not compare the context on decrypt: our code does. Exactly `userId` and `provider`
 * with the expected values (plus the SDK's own keys), or the ciphertext is refused.
 */
export const requireContext = (actual: Record<string, string>, expected: CredentialContext): void => {
  const ours = Object.entries(actual).filter(([key]) => !SDK_CONTEXT_KEYS.has(key));
  const matches =
    ours.length === 2 && actual.userId === expected.userId && actual.provider === expected.provider;
  if (!matches) throw new CredentialContextMismatchError();
};

/** Encrypts the fields for this user and provider, with their masks. */
export const sealCredential = async (
  cipher: CredentialEncryptor,
  context: CredentialContext,
  fields: CredentialFields,
  updatedAt: string,
): Promise<SealedCredential> => ({
  provider: context.provider,
  ciphertext: await cipher.encrypt(new TextEncoder().encode(JSON.stringify(fields)), context),
  masked: maskFields(fields),
  updatedAt,
});

/** Decrypts a stored credential, refusing one whose ciphertext was made for another user or provider. */
export const openCredential = async (
  cipher: CredentialDecryptor,
  context: CredentialContext,
  ciphertext: Uint8Array,
): Promise<CredentialFields> => {
  const { plaintext, context: actual } = await cipher.decrypt(ciphertext);
  requireContext(actual, context);
  return JSON.parse(new TextDecoder().decode(plaintext)) as CredentialFields;
};

/** Where sealed credentials are kept (the adapter owns the keys). */
export interface CredentialsStore {
  put(userId: string, credential: SealedCredential): Promise<void>;
  get(userId: string, provider: string): Promise<SealedCredential | undefined>;
  list(
    userId: string,
    page: { limit: number; cursor: string | undefined },
  ): Promise<{ items: Omit<SealedCredential, 'ciphertext'>[]; nextCursor: string | null }>;
  /** False when nothing was stored for the provider. */
  delete(userId: string, provider: string): Promise<boolean>;
}

/**
 * The plaintext fields of the user's credential for a provider (for a provider adapter to call), undefined
 * when none is stored. Refuses a ciphertext copied from another user's or provider's record.
 */
export const readCredential = async (
  store: CredentialsStore,
  cipher: CredentialDecryptor,
  userId: string,
  provider: string,
): Promise<CredentialFields | undefined> => {
  const sealed = await store.get(userId, provider);
  return sealed === undefined ? undefined : openCredential(cipher, { userId, provider }, sealed.ciphertext);
};
