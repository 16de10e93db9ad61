import { KmsKeyringNode } from '@aws-crypto/kms-keyring-node';
import { type ClientOptions, CommitmentPolicy, type KeyringNode } from '@aws-crypto/material-management-node';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/raw-aes-keyring-node';
import { getEnvVariable, getOptionalEnvVariable, LOCAL_AUTH_STAGES } from '@kupala/trade-model';

// The AWS Encryption SDK for JavaScript (what @aws-crypto/client-node bundles), imported by its parts so that a
// function carries only the half it uses (encrypt or decrypt) within the 300 KB bundle budget.

/** The SDK's default commitment policy, stated; one keyring wraps each data key, so a message carries one. */
export const ENCRYPTION_SDK_OPTIONS: ClientOptions = {
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
  maxEncryptedDataKeys: 1,
};

export class LocalCredentialsKeyOnDeployedStageError extends Error {
  override readonly name = 'LocalCredentialsKeyOnDeployedStageError';
  constructor(stage: string | undefined) {
    super(
      `A local credentials key is set on stage ${stage ?? '(none)'}; only ${LOCAL_AUTH_STAGES.join(', ')} may use one`,
    );
  }
}

/** A raw AES-256 keyring from base64 key material (local platform and tests only). */
export const rawAesKeyring = (keyBase64: string): KeyringNode => {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new Error('The local credentials key must be 32 bytes of base64');
  return new RawAesKeyringNode({
    keyNamespace: 'kupala-local',
    keyName: 'credentials',
    unencryptedMasterKey: new Uint8Array(key),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
};

/**
 * The keyring from configuration: the stack's KMS key (CREDENTIALS_KEY_ARN) in AWS; a raw AES key
 * (CREDENTIALS_LOCAL_KEY) only on the local and test stages: on any other stage it is refused outright.
 */
export const credentialsKeyringFromEnvironment = (): KeyringNode => {
  const localKey = getOptionalEnvVariable('CREDENTIALS_LOCAL_KEY');
  if (localKey !== undefined) {
    const stage = getOptionalEnvVariable('STAGE');
    if (stage === undefined || !LOCAL_AUTH_STAGES.includes(stage))
      throw new LocalCredentialsKeyOnDeployedStageError(stage);
    return rawAesKeyring(localKey);
  }
  return new KmsKeyringNode({ generatorKeyId: getEnvVariable('CREDENTIALS_KEY_ARN') });
};
