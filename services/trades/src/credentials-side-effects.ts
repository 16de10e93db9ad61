import { createDocumentClient, getEnvVariable, lazily } from '@kupala/trade-model';
import { buildCredentialsStore } from './adapters/credentials-store';
import type { CredentialsStore } from './domain/credentials';

/**
 * What the list and delete handlers touch: the Credentials table only (no cipher, no key: a list shows the
 * masks stored at write time and never decrypts).
 */
export interface CredentialsSideEffects {
  credentials: CredentialsStore;
  now: () => string;
}

/** Production side effects of the credential handlers, built once per container. */
export const credentialsSideEffects = lazily(
  (): CredentialsSideEffects => ({
    credentials: buildCredentialsStore(createDocumentClient(), getEnvVariable('CREDENTIALS_TABLE')),
    now: () => new Date().toISOString(),
  }),
);
