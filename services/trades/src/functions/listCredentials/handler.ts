import { type HttpRouteOptions, httpRoute, listCredentialsRoute, pageLimit } from '@kupala/trade-model';
import { type CredentialsSideEffects, credentialsSideEffects } from '../../credentials-side-effects';

/** The caller's providers with the masks stored at write time: nothing is decrypted. */
export const buildHandler = (
  effects: () => CredentialsSideEffects = credentialsSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    listCredentialsRoute,
    async ({ user, query }) => {
      const page = await effects().credentials.list(user.sub, {
        limit: pageLimit(query.limit),
        cursor: query.cursor,
      });
      return {
        statusCode: 200,
        body: {
          items: page.items.map(({ provider, masked, updatedAt }) => ({
            provider,
            fields: masked,
            updatedAt,
          })),
          nextCursor: page.nextCursor,
        },
      };
    },
    options,
  );

export const main = buildHandler();
