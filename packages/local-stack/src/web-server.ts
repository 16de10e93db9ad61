import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createProxyServer } from 'http-proxy-3';
import type { LocalIssuer } from './issuer';

/**
 * The web client on the local platform: the built site, its `/config.json` (API and WebSocket URLs), the
 * local-only sign-in (`POST /local/token`, the local issuer standing in for Cognito's hosted UI), and every
 * other path proxied to the gateway, so the browser calls the API on the site's own origin (no CORS).
 */

export interface WebServerOptions {
  /** The built site (index.html and assets/). */
  siteDir: string;
  gatewayUrl: string;
  wsUrl: string;
  issuer: LocalIssuer;
  port?: number;
  host?: string;
}

export interface RunningWebServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The sign-in body is one short user name; anything bigger is refused before it is read whole. */
const MAX_SIGN_IN_BODY_BYTES = 1024;
const ASSET_PATH = /^\/assets\/[A-Za-z0-9_-]+(?:-[A-Za-z0-9]+)?\.(js|css)$/;
const CONTENT_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** The same policy CloudFront sends in AWS (services/web), with the local WebSocket origin allowed. */
export const webSecurityHeaders = (wsUrl: string): Record<string, string> => ({
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${new URL(wsUrl).origin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

const send = (
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
): void => {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
};

/** The body as text, or undefined when it is larger than the bound (the rest is drained, not kept). */
const readSmallBody = (request: IncomingMessage): Promise<string | undefined> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_SIGN_IN_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      resolveBody(size > MAX_SIGN_IN_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });

const usernameOf = (text: string): string | undefined => {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const keys = Object.keys(body);
    const { username } = body as { username?: unknown };
    return keys.length === 1 && typeof username === 'string' ? username : undefined;
  } catch {
    return undefined;
  }
};

export const startWebServer = async (options: WebServerOptions): Promise<RunningWebServer> => {
  const host = options.host ?? '127.0.0.1';
  const security = webSecurityHeaders(options.wsUrl);
  const json = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: 120_000 });
  let url = '';

  const signIn = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // A JSON content type forces a CORS preflight, which this server never grants: another site open in
    // the developer's browser cannot mint a token here.
    if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
      request.resume();
      send(
        response,
        415,
        json,
        JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'Send JSON' } }),
      );
      return;
    }
    const text = await readSmallBody(request);
    if (text === undefined) {
      send(
        response,
        413,
        json,
        JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'Too large' } }),
      );
      return;
    }
    const username = usernameOf(text);
    if (username === undefined) {
      send(
        response,
        400,
        json,
        JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'Send {"username":"<name>"}' } }),
      );
      return;
    }
    try {
      const accessToken = await options.issuer.signAccessToken(username);
      send(response, 200, json, JSON.stringify({ accessToken }));
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : 'Invalid user name';
      send(response, 400, json, JSON.stringify({ error: { code: 'VALIDATION_FAILED', message } }));
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (method === 'POST' && path === '/local/token') return signIn(request, response);
    if (method === 'GET' && path === '/config.json') {
      const config = { apiUrl: url, wsUrl: options.wsUrl, auth: { mode: 'local', tokenUrl: '/local/token' } };
      return send(response, 200, { ...json, ...security }, JSON.stringify(config));
    }
    if (method === 'GET' && (path === '/' || path === '/index.html')) {
      const html = await readFile(join(options.siteDir, 'index.html'));
      return send(
        response,
        200,
        { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...security },
        html,
      );
    }
    const asset = ASSET_PATH.exec(path);
    if (method === 'GET' && asset !== null) {
      try {
        const body = await readFile(join(options.siteDir, path));
        return send(
          response,
          200,
          {
            'content-type': CONTENT_TYPES[asset[1] ?? ''] ?? 'application/octet-stream',
            'cache-control': 'public, max-age=31536000, immutable',
            ...security,
          },
          body,
        );
      } catch {
        return send(response, 404, { 'content-type': 'text/plain', ...security }, 'Not found');
      }
    }
    proxy.web(request, response, { target: options.gatewayUrl }, (error: Error) => {
      if (response.headersSent) return void response.destroy();
      send(
        response,
        502,
        json,
        JSON.stringify({
          error: { code: 'BAD_GATEWAY', message: `The gateway is not reachable (${error.message})` },
        }),
      );
    });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else send(response, 500, json, JSON.stringify({ error: { code: 'INTERNAL', message: String(error) } }));
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host}:${port}`;
  return {
    url,
    port,
    stop: () =>
      new Promise<void>((resolveStop) => {
        server.closeAllConnections();
        server.close(() => resolveStop());
        proxy.close();
      }),
  };
};
