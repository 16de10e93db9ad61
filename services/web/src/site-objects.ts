/** What the site bucket holds for one build: each object's key, content type and caching. */
export interface SiteObject {
  key: string;
  contentType: string;
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
};

/**
 * Hashed assets are immutable and cached for a year; index.html and config.json are revalidated on every
 * load (CloudFront's managed CachingOptimized policy honours the origin's no-cache), so a deploy shows at once.
 */
export const siteObjects = (files: readonly string[]): SiteObject[] =>
  [...files, 'config.json'].map((key) => {
    const extension = key.slice(key.lastIndexOf('.') + 1);
    const contentType = CONTENT_TYPES[extension];
    if (contentType === undefined) throw new Error(`No content type for ${key}`);
    const immutable = key.startsWith('assets/');
    return {
      key,
      contentType,
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
  });

/** The scope the HTTP API's Cognito authorizer requires (packages/serverless-http-api-authorizer). */
const REQUIRED_SCOPE = 'aws.cognito.signin.user.admin';

/** The browser's config.json: checked here so a deploy with a missing compose param fails loudly. */
export const siteConfigJson = (raw: string | undefined): string => {
  const config = JSON.parse(raw ?? 'null') as {
    apiUrl?: unknown;
    wsUrl?: unknown;
    auth?: { mode?: unknown; domain?: unknown; clientId?: unknown; scopes?: unknown };
  } | null;
  if (config === null || typeof config.wsUrl !== 'string' || !config.wsUrl.startsWith('wss://')) {
    throw new Error(
      'siteConfig.wsUrl must be the wss:// URL of the WebSocket API (compose param webSocketUrl)',
    );
  }
  if (typeof config.auth?.clientId !== 'string' || config.auth.clientId === '') {
    throw new Error('siteConfig.auth.clientId is missing (compose param userPoolClientId)');
  }
  const { domain, scopes } = config.auth;
  if (typeof domain !== 'string' || (domain !== '' && !/^https:\/\/[^/]+$/.test(domain))) {
    throw new Error('siteConfig.auth.domain must be empty or the https:// origin of the Cognito hosted UI');
  }
  // the HTTP API's authorizer requires this scope; a sign-in that does not ask for it gets tokens it refuses
  if (typeof scopes !== 'string' || !scopes.split(' ').includes(REQUIRED_SCOPE)) {
    throw new Error(`siteConfig.auth.scopes must include ${REQUIRED_SCOPE} (the API's required scope)`);
  }
  return JSON.stringify(config);
};
