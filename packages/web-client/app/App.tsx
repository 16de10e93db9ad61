import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ConnectionState } from '../src/reconnect';
import { type Api, ApiError, createApi } from './api';
import { Imports } from './Imports';
import { AnalysisView, Datasets, DatasetView, type LabRoute, labHref, parseLabHash } from './Lab';
import { Lots } from './Lots';
import { type LiveSocket, openLive } from './live';
import { Performance } from './Performance';
import { Portfolios } from './Portfolios';
import { Positions } from './Positions';
import { readStoredToken, SignIn, storeToken } from './SignIn';
import { Trades } from './Trades';
import type { ClientConfig, Page, Portfolio } from './types';

type Tab = 'positions' | 'performance' | 'trades' | 'imports';
interface Route {
  portfolioId?: string;
  tab: Tab | 'lots';
  /** The position whose lots are shown (tab 'lots'). */
  instrumentKey?: string;
  /** An AutoML lab screen (not tied to a portfolio). */
  lab?: LabRoute;
}
const TABS: { tab: Tab; label: string }[] = [
  { tab: 'positions', label: 'Positions' },
  { tab: 'performance', label: 'Performance' },
  { tab: 'trades', label: 'Trades' },
  { tab: 'imports', label: 'Import' },
];

const parseHash = (hash: string): Route => {
  const lab = parseLabHash(hash);
  if (lab !== undefined) return { tab: 'positions', lab };
  const lots = /^#\/p\/([^/]+)\/lots\/([^/]+)$/.exec(hash);
  if (lots !== null)
    return { portfolioId: lots[1], tab: 'lots', instrumentKey: decodeURIComponent(lots[2] ?? '') };
  const match = /^#\/p\/([^/]+)\/(positions|performance|trades|imports)$/.exec(hash);
  return match === null ? { tab: 'positions' } : { portfolioId: match[1], tab: match[2] as Tab };
};
export const portfolioHref = (portfolioId: string, tab: Tab = 'positions') => `#/p/${portfolioId}/${tab}`;

type Theme = 'auto' | 'light' | 'dark';
const THEME_KEY = 'kupala.theme';
const useTheme = (): [Theme, () => void] => {
  const [theme, setTheme] = useState<Theme>(
    () => (localStorage.getItem(THEME_KEY) as Theme | null) ?? 'auto',
  );
  useEffect(() => {
    if (theme === 'auto') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);
  const next = () =>
    setTheme((current) => (current === 'auto' ? 'dark' : current === 'dark' ? 'light' : 'auto'));
  return [theme, next];
};

/** Messages from the one WebSocket, fanned out to the screens that listen. */
export interface Live {
  state: ConnectionState | 'offline';
  subscribe(portfolioId: string): void;
  unsubscribe(portfolioId: string): void;
  listen(listener: (message: Record<string, unknown>) => void): () => void;
}

const CONNECTION_LABEL: Record<Live['state'], string> = {
  offline: 'Offline',
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
};

export const App = ({ config, signInError }: { config: ClientConfig; signInError?: string | undefined }) => {
  const [token, setToken] = useState<string | null>(() => readStoredToken());
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  const [theme, nextTheme] = useTheme();
  const [state, setState] = useState<Live['state']>('offline');
  const [portfolios, setPortfolios] = useState<Portfolio[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const socket = useRef<LiveSocket | undefined>(undefined);
  const listeners = useRef(new Set<(message: Record<string, unknown>) => void>());
  // Screens may subscribe before the socket exists (child effects run first): remember and replay.
  const wanted = useRef(new Set<string>());

  const signOut = useCallback(() => {
    storeToken(null);
    setToken(null);
  }, []);
  const api: Api | undefined = useMemo(
    () => (token === null ? undefined : createApi(config.apiUrl, token, signOut)),
    [config.apiUrl, token, signOut],
  );

  useEffect(() => {
    const onHash = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (token === null) return;
    const live = openLive(
      config.wsUrl,
      token,
      (message) => {
        for (const listener of listeners.current) listener(message);
      },
      setState,
    );
    socket.current = live;
    for (const portfolioId of wanted.current) live.subscribe(portfolioId);
    live.start();
    return () => {
      live.stop();
      socket.current = undefined;
      setState('offline');
    };
  }, [config.wsUrl, token]);

  const subscribe = useCallback((portfolioId: string) => {
    wanted.current.add(portfolioId);
    socket.current?.subscribe(portfolioId);
  }, []);
  const unsubscribe = useCallback((portfolioId: string) => {
    wanted.current.delete(portfolioId);
    socket.current?.unsubscribe(portfolioId);
  }, []);
  const listen = useCallback((listener: (message: Record<string, unknown>) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const live: Live = useMemo(
    () => ({ state, subscribe, unsubscribe, listen }),
    [state, subscribe, unsubscribe, listen],
  );

  const loadPortfolios = useCallback(async () => {
    if (api === undefined) return;
    try {
      const page = await api.request<Page<Portfolio>>('GET', '/portfolios?limit=500');
      setPortfolios(page.items);
      setLoadError(undefined);
    } catch (error: unknown) {
      setLoadError(error instanceof ApiError ? error.message : 'The API cannot be reached.');
    }
  }, [api]);
  useEffect(() => {
    void loadPortfolios();
  }, [loadPortfolios]);

  if (token === null || api === undefined) {
    return <SignIn config={config} error={signInError} onToken={(value) => setToken(value)} />;
  }
  const selected = portfolios?.find((portfolio) => portfolio.portfolioId === route.portfolioId);

  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href="#/">
          Kupala
        </a>
        {portfolios !== undefined && portfolios.length > 0 && (
          <label class="switcher">
            <span class="visually-hidden">Portfolio</span>
            <select
              value={route.portfolioId ?? ''}
              onChange={(event) => {
                const id = (event.target as HTMLSelectElement).value;
                location.hash =
                  id === '' ? '#/' : portfolioHref(id, route.tab === 'lots' ? 'positions' : route.tab);
              }}
            >
              <option value="">All portfolios</option>
              {portfolios.map((portfolio) => (
                <option key={portfolio.portfolioId} value={portfolio.portfolioId}>
                  {portfolio.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <a href={labHref.datasets} aria-current={route.lab === undefined ? undefined : 'page'}>
          AutoML lab
        </a>
        <span class={`connection ${state}`} role="status" aria-live="polite" data-testid="connection">
          <span class="dot" aria-hidden="true" />
          {CONNECTION_LABEL[state]}
        </span>
        <button type="button" class="ghost" onClick={nextTheme} aria-label={`Theme: ${theme}. Change theme`}>
          {theme === 'auto' ? '◐ Auto' : theme === 'dark' ? '● Dark' : '○ Light'}
        </button>
        <button type="button" class="ghost" onClick={signOut}>
          Sign out
        </button>
      </header>
      {selected !== undefined && route.lab === undefined && (
        <nav class="tabs" aria-label="Portfolio sections">
          {TABS.map(({ tab, label }) => (
            <a
              key={tab}
              href={portfolioHref(selected.portfolioId, tab)}
              aria-current={
                route.tab === tab || (route.tab === 'lots' && tab === 'positions') ? 'page' : undefined
              }
            >
              {label}
            </a>
          ))}
        </nav>
      )}
      <main>
        {loadError !== undefined && (
          <p class="error" role="alert">
            {loadError}
          </p>
        )}
        {route.lab !== undefined ? (
          route.lab.view === 'datasets' ? (
            <Datasets api={api} />
          ) : route.lab.view === 'dataset' ? (
            <DatasetView key={route.lab.id} api={api} datasetId={route.lab.id} />
          ) : (
            <AnalysisView key={route.lab.id} api={api} live={live} analysisId={route.lab.id} />
          )
        ) : selected === undefined ? (
          <Portfolios
            api={api}
            portfolios={portfolios}
            missing={route.portfolioId !== undefined && portfolios !== undefined}
            onCreated={async (portfolio) => {
              await loadPortfolios();
              location.hash = portfolioHref(portfolio.portfolioId);
            }}
          />
        ) : route.tab === 'positions' ? (
          <Positions key={selected.portfolioId} api={api} live={live} portfolio={selected} />
        ) : route.tab === 'performance' ? (
          <Performance key={selected.portfolioId} api={api} portfolio={selected} />
        ) : route.tab === 'lots' && route.instrumentKey !== undefined ? (
          <Lots
            key={route.instrumentKey}
            api={api}
            portfolio={selected}
            instrumentKey={route.instrumentKey}
          />
        ) : route.tab === 'trades' ? (
          <Trades key={selected.portfolioId} api={api} portfolio={selected} />
        ) : (
          <Imports key={selected.portfolioId} api={api} live={live} portfolio={selected} />
        )}
      </main>
    </div>
  );
};
