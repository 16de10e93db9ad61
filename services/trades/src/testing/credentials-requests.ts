import { invoke } from '@kupala/trade-model/testing';
import { main as deleteCredential } from '../functions/deleteCredential/handler';
import { main as listCredentials } from '../functions/listCredentials/handler';
import { main as putCredential } from '../functions/putCredential/handler';

/** Calls the credential handlers the way API Gateway does, for integration tests. */
export const credentialsApi = (token: string) => {
  const providerPath = (provider: string) => ({
    path: `/credentials/${provider}`,
    routePath: '/credentials/{provider}',
    pathParameters: { provider },
    token,
  });
  return {
    put: (provider: string, body: unknown) =>
      invoke(putCredential, { method: 'PUT', ...providerPath(provider), body }),
    list: (query?: Record<string, string>) =>
      invoke(listCredentials, {
        method: 'GET',
        path: '/credentials',
        token,
        ...(query === undefined ? {} : { query }),
      }),
    remove: (provider: string) => invoke(deleteCredential, { method: 'DELETE', ...providerPath(provider) }),
  };
};
