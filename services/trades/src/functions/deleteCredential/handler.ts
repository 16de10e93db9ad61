import { deleteCredentialRoute, type HttpRouteOptions, httpRoute, NotFoundError } from '@kupala/trade-model';
import { type CredentialsSideEffects, credentialsSideEffects } from '../../credentials-side-effects';

/** 204 once the caller's credentials for the provider are gone; 404 when none were stored. */
export const buildHandler = (
  effects: () => CredentialsSideEffects = credentialsSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    deleteCredentialRoute,
    async ({ user, params }) => {
      if (!(await effects().credentials.delete(user.sub, params.provider)))
        throw new NotFoundError('Credential');
      return { statusCode: 204 };
    },
    options,
  );

export const main = buildHandler();
