import { buildEncrypt } from '@aws-crypto/encrypt-node';
import type { KeyringNode } from '@aws-crypto/material-management-node';
import type { CredentialEncryptor } from '../domain/credentials';
import { ENCRYPTION_SDK_OPTIONS } from './credentials-keyring';

const { encrypt } = buildEncrypt(ENCRYPTION_SDK_OPTIONS);

/** Envelope encryption with the AWS Encryption SDK: a fresh data key per message, wrapped by the keyring. */
export const buildCredentialEncryptor = (keyring: KeyringNode): CredentialEncryptor => ({
  async encrypt(plaintext, context) {
    const { result } = await encrypt(keyring, plaintext, {
      encryptionContext: { userId: context.userId, provider: context.provider },
    });
    return new Uint8Array(result);
  },
});
