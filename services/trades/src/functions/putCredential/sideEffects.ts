import { lazily } from '@kupala/trade-model';
import { buildCredentialEncryptor } from '../../adapters/credentials-encryptor';
import { credentialsKeyringFromEnvironment } from '../../adapters/credentials-keyring';
import { type CredentialsSideEffects, credentialsSideEffects } from '../../credentials-side-effects';
import type { CredentialEncryptor } from '../../domain/credentials';

/** The credential side effects plus encryption: only this function encrypts (and holds kms:GenerateDataKey). */
export interface PutCredentialSideEffects extends CredentialsSideEffects {
  encryptor: CredentialEncryptor;
}

export const putCredentialSideEffects = lazily(
  (): PutCredentialSideEffects => ({
    ...credentialsSideEffects(),
    encryptor: buildCredentialEncryptor(credentialsKeyringFromEnvironment()),
  }),
);
