import { buildDecrypt } from '@aws-crypto/decrypt-node';
import type { KeyringNode } from '@aws-crypto/material-management-node';
import type { CredentialDecryptor } from '../domain/credentials';
import { ENCRYPTION_SDK_OPTIONS } from './credentials-keyring';

const { decrypt } = buildDecrypt(ENCRYPTION_SDK_OPTIONS);

/**
 * Decrypts with the AWS Encryption SDK and hands back the context the message carries. The SDK does not
 * compare it with anything: `openCredential` does.
 */
export const buildCredentialDecryptor = (keyring: KeyringNode): CredentialDecryptor => ({
  async decrypt(ciphertext) {
    const { plaintext, messageHeader } = await decrypt(keyring, ciphertext);
    return { plaintext: new Uint8Array(plaintext), context: { ...messageHeader.encryptionContext } };
  },
});
