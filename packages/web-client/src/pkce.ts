/**
 * Sign-in on a deployed stage: OAuth 2.0 authorization code flow with PKCE (RFC 7636, S256) against the Cognito
 * hosted UI. A public client: no secret anywhere; the one-time verifier proves to the token endpoint that the
 * code was asked for by this tab. Side effects (randomness, SHA-256) are passed in, so Node tests run the same code.
 */
export interface CognitoAuth {
  /** The hosted UI's base URL, e.g. https://kupala-prod.auth.eu-west-1.amazoncognito.com */
  domain: string;
  clientId: string;
  scopes?: string;
}

/** RFC 4648 §5 base64url without padding. */
export const base64Url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** A verifier (or state) of 32 random bytes: 43 characters of base64url, inside RFC 7636's 43–128. */
export const randomToken = (randomBytes: (length: number) => Uint8Array): string =>
  base64Url(randomBytes(32));

/** code_challenge = BASE64URL(SHA-256(ASCII(code_verifier))) (method S256). */
export const codeChallenge = async (
  verifier: string,
  sha256: (data: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer>,
): Promise<string> => base64Url(new Uint8Array(await sha256(new TextEncoder().encode(verifier))));

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Where the browser goes to sign in: the hosted UI's authorize endpoint with the challenge and state. */
export const authorizeUrl = (
  auth: CognitoAuth,
  redirectUri: string,
  challenge: string,
  state: string,
): string =>
  `${trimSlash(auth.domain)}/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri,
    scope: auth.scopes ?? 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString()}`;

/** The token endpoint and its form body trading the code (and the verifier) for tokens. */
export const tokenRequest = (
  auth: CognitoAuth,
  redirectUri: string,
  code: string,
  verifier: string,
): { url: string; body: string } => ({
  url: `${trimSlash(auth.domain)}/oauth2/token`,
  body: new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: auth.clientId,
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  }).toString(),
});

export type Redirect = { code: string } | { error: string } | undefined;

/**
 * Reads the hosted UI's redirect (`?code=…&state=…`, or `?error=…`): undefined when the URL is no redirect; an
 * error when the state is not the one this tab stored (a forged or replayed redirect is never exchanged).
 */
export const readRedirect = (search: string, expectedState: string | null): Redirect => {
  const params = new URLSearchParams(search);
  const error = params.get('error');
  const code = params.get('code');
  if (error === null && code === null) return undefined;
  if (expectedState === null || params.get('state') !== expectedState)
    return { error: 'The sign-in answer does not match this tab (state). Sign in again.' };
  if (error !== null) return { error: `Sign-in failed: ${params.get('error_description') ?? error}` };
  return { code: code ?? '' };
};
