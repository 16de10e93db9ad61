import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import { type GatewayRoute, RouteTable } from './route-table';

/**
 * One HTTP base URL in front of every service: requests are routed by API Gateway route keys to the
 * owning service's serverless-offline HTTP port and proxied as streams (method, path, query, headers, body).
 */

export interface GatewayOptions {
  routes: readonly GatewayRoute[];
  /** Base URL of each service's serverless-offline HTTP server, by service name. */
  targets: Readonly<Record<string, string>>;
  port?: number;
  host?: string;
  /** Called for every proxied request (method, path, service, status, duration). */
  onRequest?: (entry: {
    method: string;
    path: string;
    service: string | undefined;
    status: number;
    ms: number;
  }) => void;
}

export interface RunningGateway {
  url: string;
  port: number;
  routeTable: RouteTable;
  stop(): Promise<void>;
}

const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
};

export const NOT_FOUND_BODY = { error: { code: 'NOT_FOUND', message: 'Route not found' } } as const;

export const startGateway = async (options: GatewayOptions): Promise<RunningGateway> => {
  const routeTable = new RouteTable(options.routes);
  for (const route of routeTable.routes) {
    if (options.targets[route.service] === undefined) {
      throw new Error(`Route ${route.method} ${route.path} belongs to ${route.service}, which has no target`);
    }
  }
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: 120_000 });
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const started = Date.now();
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    const match = routeTable.match(method, path);
    const service = match?.route.service;
    response.once('finish', () =>
      options.onRequest?.({ method, path, service, status: response.statusCode, ms: Date.now() - started }),
    );
    const target = service === undefined ? undefined : options.targets[service];
    if (target === undefined) {
      request.resume();
      sendJson(response, 404, NOT_FOUND_BODY);
      return;
    }
    proxy.web(request, response, { target }, (error: Error) => {
      sendJson(response, 502, {
        error: { code: 'BAD_GATEWAY', message: `Service ${service} is not reachable (${error.message})` },
      });
    });
  };
  const server = createServer(handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Gateway port ${options.port} is already in use`, { cause: error })
          : error,
      ),
    );
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    routeTable,
    stop: () => {
      stopping ??= new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
        proxy.close();
      });
      return stopping;
    },
  };
};
