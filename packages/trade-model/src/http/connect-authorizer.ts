import { lazily } from '../config';
import { logger } from '../logging';
import { type AccessTokenVerifier, authenticate, buildAccessTokenVerifier } from './auth';
import { connectionToken, type WebSocketEvent } from './websocket';

/** The request API Gateway hands a WebSocket `$connect` REQUEST authorizer. */
export interface ConnectAuthorizerEvent {
  type?: string;
  methodArn: string;
  queryStringParameters?: Record<string, string | undefined> | null;
}

/** An IAM policy for the `$connect` route, with the caller's `sub` as principal and context. */
export interface ConnectAuthorizerResult {
  principalId: string;
  policyDocument: {
    Version: '2012-10-17';
    Statement: { Action: 'execute-api:Invoke'; Effect: 'Allow' | 'Deny'; Resource: string }[];
  };
  context?: { sub: string };
}

const policy = (
  effect: 'Allow' | 'Deny',
  principalId: string,
  resource: string,
): ConnectAuthorizerResult => ({
  principalId,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
  },
});

const defaultVerifier = lazily(buildAccessTokenVerifier);

/**
 * The `$connect` authorizer: the same verifier and token rules as every HTTP route. A refused token gets a
 * Deny policy (403), never a thrown error: serverless-offline turns a throw into a 500, AWS into a 401, and the
 * answer must not depend on where it runs. The `$connect` handler verifies again (defence in depth).
 */
export const connectAuthorizer =
  (verifier: () => AccessTokenVerifier = defaultVerifier) =>
  async (event: ConnectAuthorizerEvent): Promise<ConnectAuthorizerResult> => {
    try {
      const token = connectionToken(event as unknown as WebSocketEvent);
      const user = await authenticate(verifier(), token);
      return { ...policy('Allow', user.sub, event.methodArn), context: { sub: user.sub } };
    } catch (error: unknown) {
      logger.info('websocket connect refused', {
        reason:
          error instanceof Error && error.cause instanceof Error ? error.cause.message : 'no valid token',
      });
      return policy('Deny', 'anonymous', event.methodArn);
    }
  };
