import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { getEnvVariable, getOptionalEnvVariable } from '../config';
import { UnauthorizedError } from './errors';

/** The caller, as proven by a verified access token. `sub` is the owner of everything it touches. */
export interface AuthenticatedUser {
  sub: string;
  username: string | undefined;
  /** The token's `exp` (epoch seconds): a WebSocket connection opened with it lives no longer. */
  expiresAt?: number;
}

export type AccessTokenVerifier = (token: string) => Promise<AuthenticatedUser>;

// aws-jwt-verify accepts tokens without `exp`; the contract does not.
const requireExpiryAndAccessUse = ({ payload }: { payload: JwtPayload }): void => {
  if (typeof payload.exp !== 'number') throw new Error('Token has no exp claim');
  if (payload.token_use !== 'access') throw new Error('Not an access token');
};

const toUser = (payload: JwtPayload): AuthenticatedUser => {
  if (typeof payload.sub !== 'string' || !/^[A-Za-z0-9-]{1,128}$/.test(payload.sub)) {
    throw new Error('Token has no usable sub');
  }
  return {
    sub: payload.sub,
    username: typeof payload.username === 'string' ? payload.username : undefined,
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
  };
};

const LOCAL_JWKS_URI = 'https://issuer.kupala.localhost/.well-known/jwks.json';
/** The only stages that may trust a local issuer's keys: they run on one machine, never in AWS. */
export const LOCAL_AUTH_STAGES: readonly string[] = ['local', 'test'];

export class LocalIssuerOnDeployedStageError extends Error {
  override readonly name = 'LocalIssuerOnDeployedStageError';
  constructor(stage: string | undefined) {
    super(
      `Local issuer keys are set on stage ${stage ?? '(none)'}; only ${LOCAL_AUTH_STAGES.join(', ')} may use them`,
    );
  }
}

/**
 * Builds the verifier from configuration: a Cognito user pool in AWS, or a local issuer whose public keys
 * are preloaded (AUTH_LOCAL_JWKS) for the local platform and tests. Same checks either way.
 */
export const buildAccessTokenVerifier = (): AccessTokenVerifier => {
  const clientId = getEnvVariable('AUTH_CLIENT_ID');
  const localJwks = getOptionalEnvVariable('AUTH_LOCAL_JWKS');
  if (localJwks !== undefined) {
    const stage = getOptionalEnvVariable('STAGE');
    if (stage === undefined || !LOCAL_AUTH_STAGES.includes(stage))
      throw new LocalIssuerOnDeployedStageError(stage);
    const verifier = JwtRsaVerifier.create({
      issuer: getEnvVariable('AUTH_LOCAL_ISSUER'),
      audience: clientId,
      jwksUri: LOCAL_JWKS_URI,
      customJwtCheck: requireExpiryAndAccessUse,
    });
    verifier.cacheJwks(JSON.parse(localJwks));
    return async (token) => toUser(await verifier.verify(token));
  }
  const verifier = CognitoJwtVerifier.create({
    userPoolId: getEnvVariable('AUTH_USER_POOL_ID'),
    clientId,
    tokenUse: 'access',
    customJwtCheck: requireExpiryAndAccessUse,
  });
  return async (token) => toUser(await verifier.verify(token));
};

/** Pulls the token out of `Authorization: Bearer <token>`; anything else is a 401. */
export const bearerToken = (authorization: string | undefined): string => {
  const match =
    authorization === undefined ? null : /^Bearer ([A-Za-z0-9._~+/=-]{10,8192})$/i.exec(authorization.trim());
  if (match?.[1] === undefined) throw new UnauthorizedError();
  return match[1];
};

/** Verifies and maps every failure (bad signature, expired, wrong issuer, alg none …) to a 401. */
export const authenticate = async (
  verifier: AccessTokenVerifier,
  token: string,
): Promise<AuthenticatedUser> => {
  try {
    return await verifier(token);
  } catch (error: unknown) {
    throw new UnauthorizedError('The bearer token is invalid or expired', error);
  }
};
