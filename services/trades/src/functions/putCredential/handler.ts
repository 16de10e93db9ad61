import { type HttpRouteOptions, httpRoute, putCredentialRoute } from '@kupala/trade-model';
import { sealCredential } from '../../domain/credentials';
import { type PutCredentialSideEffects, putCredentialSideEffects } from './sideEffects';

/** Encrypts the fields for the caller and the provider and stores them with their masks (replacing any). */
export const buildHandler = (
  effects: () => PutCredentialSideEffects = putCredentialSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    putCredentialRoute,
    async ({ user, params, body }) => {
      const { credentials, encryptor, now } = effects();
      const context = { userId: user.sub, provider: params.provider };
      await credentials.put(user.sub, await sealCredential(encryptor, context, body.fields, now()));
      return { statusCode: 204 };
    },
    options,
  );

export const main = buildHandler();
