import { useState } from 'preact/hooks';
import type { ClientConfig } from './types';

const TOKEN_KEY = 'kupala.accessToken';

/** The access token lives in sessionStorage (gone with the tab); a Cognito redirect brings it in the hash. */
export const readStoredToken = (): string | null => {
  const fromRedirect = /[#&]access_token=([^&]+)/.exec(location.hash)?.[1];
  if (fromRedirect !== undefined) {
    storeToken(decodeURIComponent(fromRedirect));
    history.replaceState(null, '', `${location.pathname}#/`);
  }
  return sessionStorage.getItem(TOKEN_KEY);
};

export const storeToken = (token: string | null): void => {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
};

export const SignIn = (props: { config: ClientConfig; onToken: (token: string) => void }) => {
  const [username, setUsername] = useState('demo');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const { auth } = props.config;

  if (auth.mode === 'cognito') {
    const params = new URLSearchParams({
      response_type: 'token',
      client_id: auth.clientId,
      redirect_uri: `${location.origin}/`,
      scope: auth.scopes ?? 'openid',
    });
    return (
      <main class="sign-in card">
        <h1>Kupala</h1>
        <p>Your portfolios, positions and P&amp;L, live.</p>
        <a class="button" href={`${auth.domain}/login?${params.toString()}`}>
          Sign in
        </a>
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
