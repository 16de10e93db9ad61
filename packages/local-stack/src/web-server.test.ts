import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { type LocalIssuer, loadOrCreateLocalIssuer, localSubFor } from './issuer';
import { type RunningWebServer, startWebServer } from './web-server';

describe('local web server', () => {
  let dir: string;
  let issuer: LocalIssuer;
  let gateway: Server;
  let web: RunningWebServer;
  const proxied: { method?: string; url?: string; authorization?: string }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kupala-web-'));
    await mkdir(join(dir, 'site', 'assets'), { recursive: true });
    await writeFile(join(dir, 'site', 'index.html'), '<!doctype html><title>Kupala</title>');
    await writeFile(join(dir, 'site', 'assets', 'main-ABC123.js'), 'console.log(1)');
    issuer = await loadOrCreateLocalIssuer(join(dir, 'issuer'));
    gateway = createServer((request, response) => {
      proxied.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.authorization,
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"items":[]}');
    });
    await new Promise<void>((resolveListen) => gateway.listen(0, '127.0.0.1', resolveListen));
    web = await startWebServer({
      siteDir: join(dir, 'site'),
      gatewayUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
      wsUrl: 'ws://127.0.0.1:4302',
      issuer,
    });
  });

  afterAll(async () => {
    await web.stop();
    await new Promise((resolveClose) => gateway.close(resolveClose));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the config with its own origin as the API URL and the local sign-in', async () => {
    const response = await fetch(`${web.url}/config.json`);
    expect(await response.json()).toEqual({
      apiUrl: web.url,
      wsUrl: 'ws://127.0.0.1:4302',
      auth: { mode: 'local', tokenUrl: '/local/token' },
    });
  });

  it('serves the page with the security headers CloudFront sends in AWS', async () => {
    const response = await fetch(`${web.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Kupala</title>');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:4302");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await fetch(`${web.url}/assets/main-ABC123.js`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('signs a token for the user name asked, whose sub is the same as `pnpm run token` gives', async () => {
    const response = await fetch(`${web.url}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice' }),
    });
    expect(response.status).toBe(200);
    const { accessToken } = (await response.json()) as { accessToken: string };
    expect(decodeJwt(accessToken)).toMatchObject({ sub: localSubFor('alice'), token_use: 'access' });
  });

  it('refuses a sign-in that is not JSON (no CORS-free form post can mint a token) or not a user name', async () => {
    const form = await fetch(`${web.url}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"username":"alice"}',
    });
    expect(form.status).toBe(415);
    const tooLarge = await fetch(`${web.url}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x'.repeat(2000) }),
    });
    expect(tooLarge.status).toBe(413);
    for (const body of ['{"username":"a b"}', '{"username":"alice","sub":"x"}', '[]', '{"username":""}']) {
      const response = await fetch(`${web.url}/local/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect({ body: body.slice(0, 30), status: response.status }).toEqual({
        body: body.slice(0, 30),
        status: 400,
      });
    }
  });

  it('proxies every other path to the gateway, headers included, and never serves files outside assets/', async () => {
    const response = await fetch(`${web.url}/portfolios?limit=5`, { headers: { authorization: 'Bearer t' } });
    expect(await response.json()).toEqual({ items: [] });
    expect(proxied.at(-1)).toEqual({ method: 'GET', url: '/portfolios?limit=5', authorization: 'Bearer t' });
    const traversal = await fetch(`${web.url}/assets/..%2F..%2Fissuer%2Fsigning-key.jwk.json`);
    expect(await traversal.text()).not.toContain('"d"');
  });
});
