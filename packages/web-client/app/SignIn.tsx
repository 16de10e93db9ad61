import { useState } from 'preact/hooks';
import {
  authorizeUrl,
  type CognitoAuth,
  codeChallenge,
  randomToken,
  readRedirect,
  tokenRequest,
} from '../src/pkce';
import type { ClientConfig } from './types';

const TOKEN_KEY = 'kupala.accessToken';
/** This tab's PKCE verifier and state while the hosted UI is open (sessionStorage: one tab, one attempt). */
const PKCE_KEY = 'kupala.pkce';

/** The access token lives in sessionStorage (gone with the tab). */
export const readStoredToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

export const storeToken = (token: string | null): void => {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
};

const redirectUri = () => `${location.origin}/`;
const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));

/** Opens the Cognito hosted UI for an authorization code bound to a fresh PKCE verifier and state. */
const startCognitoSignIn = async (auth: CognitoAuth): Promise<void> => {
  const verifier = randomToken(randomBytes);
  const state = randomToken(randomBytes);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const challenge = await codeChallenge(verifier, (data) => crypto.subtle.digest('SHA-256', data));
  location.assign(authorizeUrl(auth, redirectUri(), challenge, state));
};

/**
 * On the hosted UI's redirect back (`/?code=…&state=…`): checks the state, trades the code and this tab's
 * verifier for tokens at the token endpoint, keeps the access token and cleans the URL. Answers an error to show.
 */
export const completeCognitoSignIn = async (auth: CognitoAuth): Promise<string | undefined> => {
  let stored: { verifier?: string; state?: string } = {};
  try {
    stored = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}');
  } catch {
    // nothing usable stored: the state check below refuses the redirect
  }
  const redirect = readRedirect(location.search, stored.state ?? null);
  if (redirect === undefined) return undefined;
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', `${location.pathname}#/`);
  if ('error' in redirect) return redirect.error;
  const request = tokenRequest(auth, redirectUri(), redirect.code, stored.verifier ?? '');
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: request.body,
    });
    const body = (await response.json()) as { access_token?: unknown; error?: unknown };
    if (!response.ok || typeof body.access_token !== 'string')
      return `Sign-in failed: ${String(body.error ?? `HTTP ${response.status}`)}`;
    storeToken(body.access_token);
    return undefined;
  } catch {
    return 'Sign-in failed: the sign-in service cannot be reached.';
  }
};

export const SignIn = (props: {
  config: ClientConfig;
  onToken: (token: string) => void;
  error?: string | undefined;
}) => {
  const [username, setUsername] = useState('demo');
  const [error, setError] = useState<string | undefined>(props.error);
  const [busy, setBusy] = useState(false);
  const { auth } = props.config;

  if (auth.mode === 'cognito') {
    return (
      <main class="sign-in card">
        <h1>Kupala</h1>
        <p>Your portfolios, positions and P&amp;L, live.</p>
        {auth.domain === '' && (
          <p class="notice">
            Sign-in is not set up on this stage yet: its Cognito pool has no hosted UI domain.
          </p>
        )}
        <button
          type="button"
          disabled={busy || auth.domain === ''}
          onClick={() => {
            setBusy(true);
            startCognitoSignIn(auth).catch(() => {
              setBusy(false);
              setError('This browser cannot start the sign-in (no Web Crypto).');
            });
          }}
        >
          Sign in
        </button>
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </main>
    );
  }

  const tokenUrl = auth.tokenUrl;
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username }),
      });
      const body = (await response.json()) as { accessToken?: string; error?: { message: string } };
      if (!response.ok || body.accessToken === undefined)
        throw new Error(body.error?.message ?? `HTTP ${response.status}`);
      storeToken(body.accessToken);
      props.onToken(body.accessToken);
    } catch (caught: unknown) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in card">
      <h1>Kupala</h1>
      <p>
        Local platform: sign in as any user name. The local token issuer signs the token; this page exists
        only on your machine (deployed stages use Cognito).
      </p>
      <form onSubmit={submit}>
        <label>
          User name
          <input
            name="username"
            value={username}
            required
            maxLength={128}
            pattern="\S+"
            autoComplete="username"
            onInput={(event) => setUsername((event.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Sign in as {username || '…'}
        </button>
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
};
