import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOT_FOUND_BODY, type RunningGateway, startGateway } from './gateway';
import { findFreePort } from './ports';

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: string;
}

const startUpstream = async (
  name: string,
  received: Received[],
): Promise<{ server: Server; url: string }> => {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      response.writeHead(201, { 'content-type': 'application/json', 'x-upstream': name });
      response.end(JSON.stringify({ from: name }));
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

describe('gateway', () => {
  const tradesRequests: Received[] = [];
  const positionsRequests: Received[] = [];
  let upstreams: Server[];
  let gateway: RunningGateway;

  beforeAll(async () => {
    const trades = await startUpstream('trades', tradesRequests);
    const positions = await startUpstream('positions', positionsRequests);
    upstreams = [trades.server, positions.server];
    gateway = await startGateway({
      routes: [
        { service: 'trades', method: 'POST', path: '/portfolios/{portfolioId}/trades' },
        { service: 'positions', method: 'GET', path: '/portfolios/{portfolioId}/positions' },
        { service: 'dead', method: 'GET', path: '/dead' },
      ],
      targets: {
        trades: trades.url,
        positions: positions.url,
        dead: `http://127.0.0.1:${await findFreePort()}`,
      },
    });
  });
  afterAll(async () => {
    await gateway.stop();
    await Promise.all(upstreams.map((server) => new Promise((resolveClose) => server.close(resolveClose))));
  });

  it('proxies method, path, query, headers and body to the owning service and relays its answer', async () => {
    const response = await fetch(`${gateway.url}/portfolios/p1/trades?dryRun=true`, {
      method: 'POST',
      headers: { authorization: 'Bearer abc', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'DEPOSIT' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-upstream')).toBe('trades');
    expect(await response.json()).toEqual({ from: 'trades' });
    expect(tradesRequests).toHaveLength(1);
    expect(tradesRequests[0]).toMatchObject({
      method: 'POST',
      url: '/portfolios/p1/trades?dryRun=true',
      headers: { authorization: 'Bearer abc', 'content-type': 'application/json' },
      body: '{"type":"DEPOSIT"}',
    });
    const positions = await fetch(`${gateway.url}/portfolios/p1/positions`);
    expect(positions.headers.get('x-upstream')).toBe('positions');
    expect(positionsRequests).toHaveLength(1);
  });

  it('answers 404 with the error envelope for an unknown route or method', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/portfolios/p1/trades'],
    ] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual(NOT_FOUND_BODY);
    }
  });

  it('answers 502 when the owning service is down', async () => {
    const response = await fetch(`${gateway.url}/dead`);
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ error: { code: 'BAD_GATEWAY' } });
  });
});
