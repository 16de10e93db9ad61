import { defineRoute } from '../http/route';
import { PaginationQuerySchema, pageOf } from '../schemas/api';
import {
  CredentialPathSchema,
  CredentialSummarySchema,
  MAX_PUT_CREDENTIAL_BODY_BYTES,
  PutCredentialBodySchema,
} from '../schemas/credentials';

const TAG = 'Credentials';

export const putCredentialRoute = defineRoute({
  operationId: 'putCredential',
  method: 'PUT',
  path: '/credentials/{provider}',
  summary: "Store (or replace) the caller's secret fields for a broker or data provider",
  description: [
    'The fields replace whatever was stored for this provider. They are encrypted (envelope encryption bound to',
    'the caller and the provider) and never answered back: `GET /credentials` shows them masked.',
  ].join(' '),
  tag: TAG,
  auth: true,
  params: CredentialPathSchema,
  body: PutCredentialBodySchema,
  successStatus: 204,
  maxBodyBytes: MAX_PUT_CREDENTIAL_BODY_BYTES,
});

export const listCredentialsRoute = defineRoute({
  operationId: 'listCredentials',
  method: 'GET',
  path: '/credentials',
  summary: "List the caller's stored credentials by provider, masked",
  description: [
    'Each value is shown as `••••` followed by its last 4 characters when it has at least 16, its last 3 when',
    'it has 12 to 15, and nothing of it when shorter: a short secret is never revealed. Providers in order.',
  ].join(' '),
  tag: TAG,
  auth: true,
  query: PaginationQuerySchema,
  response: pageOf(CredentialSummarySchema),
  successStatus: 200,
});

export const deleteCredentialRoute = defineRoute({
  operationId: 'deleteCredential',
  method: 'DELETE',
  path: '/credentials/{provider}',
  summary: "Delete the caller's credentials for a provider",
  tag: TAG,
  auth: true,
  params: CredentialPathSchema,
  successStatus: 204,
  errorResponses: { 404: 'no credentials are stored for this provider' },
});

/** The credential operations, in document order. */
export const CREDENTIALS_ROUTES = [putCredentialRoute, listCredentialsRoute, deleteCredentialRoute] as const;
