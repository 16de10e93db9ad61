import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { isRecord } from './is-record';
import { OutputTail, type ProcessGroup, spawnProcessGroup, waitUntilReady } from './process-groups';
import { functionsOfConfig, paramArguments } from './service-templates';
import { serverlessBinary, workspaceRoot } from './workspace';

/** The four bounded contexts and the ports their serverless-offline servers use locally. */
export const SERVICE_NAMES = ['trades', 'positions', 'market-data', 'ml-analysis'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface ServicePorts {
  http: number;
  lambda: number;
  websocket: number;
}

export const DEFAULT_SERVICE_PORTS: Readonly<Record<ServiceName, ServicePorts>> = {
  trades: { http: 4101, lambda: 4201, websocket: 4301 },
  positions: { http: 4102, lambda: 4202, websocket: 4302 },
  'market-data': { http: 4103, lambda: 4203, websocket: 4303 },
  'ml-analysis': { http: 4104, lambda: 4204, websocket: 4304 },
};

/** The service that serves the platform's WebSocket API. */
export const WEBSOCKET_SERVICE: ServiceName = 'positions';

/** `KUPALA_MARKET_DATA` for `market-data`: prefix of the service's port variables. */
export const serviceEnvPrefix = (service: string): string =>
  `KUPALA_${service.toUpperCase().replace(/-/g, '_')}`;

export const portVariable = (service: string, kind: keyof ServicePorts): string =>
  `${serviceEnvPrefix(service)}_${kind === 'websocket' ? 'WEBSOCKET' : kind.toUpperCase()}_PORT`;

export const serviceDirectory = (service: string, root: string = workspaceRoot): string =>
  join(root, 'services', service);

/** Which servers serverless-offline will open for a resolved service configuration. */
export interface OfflineListeners {
  functionCount: number;
  http: boolean;
  websocket: boolean;
}

export const offlineListeners = (config: Record<string, unknown>): OfflineListeners => {
  const functions = Object.values(functionsOfConfig(config));
  const events = functions.flatMap((definition) =>
    isRecord(definition) && Array.isArray(definition.events) ? definition.events : [],
  );
  const has = (key: string) => events.some((event) => isRecord(event) && event[key] !== undefined);
  return {
    functionCount: functions.length,
    http: has('httpApi') || has('http'),
    websocket: has('websocket'),
  };
};

const tcpAnswers = (port: number): Promise<boolean> =>
  new Promise((resolveAnswer) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolveAnswer(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolveAnswer(false);
    });
    socket.once('error', () => resolveAnswer(false));
  });

/** Any HTTP response (even a 404) proves the server is up. */
export const httpAnswers = (url: string): Promise<boolean> =>
  new Promise((resolveAnswer) => {
    const probe = request(url, { method: 'GET', timeout: 2000 }, (response) => {
      response.resume();
      resolveAnswer(true);
    });
    probe.once('timeout', () => probe.destroy());
    probe.once('error', () => resolveAnswer(false));
    probe.end();
  });

export interface OfflineServiceOptions {
  service: string;
  serviceDir: string;
  stage: string;
  ports: ServicePorts;
  listeners: OfflineListeners;
  params: Readonly<Record<string, string>>;
  env: NodeJS.ProcessEnv;
  /** Every output line of the offline process. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  startTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunningOfflineService {
  service: string;
  httpUrl: string;
  process: ProcessGroup;
  /** Settles once every expected server answers; rejects (after stopping the process) when it cannot. */
  ready: Promise<void>;
  lastOutput(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `serverless offline start` for one service in its own process group. Returns at once so the caller
 * can track (and stop) the process; `ready` settles when its servers answer.
 */
export const launchOfflineService = (options: OfflineServiceOptions): RunningOfflineService => {
  const { ports, service } = options;
  const tail = new OutputTail(80);
  const args = [
    'offline',
    'start',
    '--stage',
    options.stage,
    '--host',
    '127.0.0.1',
    '--httpPort',
    String(ports.http),
    '--lambdaPort',
    String(ports.lambda),
    '--websocketPort',
    String(ports.websocket),
    '--noPrependStageInUrl',
    '--noSponsor',
    ...paramArguments(options.params),
  ];
  const offline = spawnProcessGroup(serverlessBinary(), args, {
    cwd: options.serviceDir,
    env: options.env,
    onLine: (line, stream) => {
      tail.push(line);
      options.onLine?.(line, stream);
    },
  });
  const httpUrl = `http://127.0.0.1:${ports.http}`;
  return {
    service,
    httpUrl,
    process: offline,
    ready: waitUntilReady(
      `serverless offline (${service})`,
      async () =>
        (await tcpAnswers(ports.lambda)) &&
        (!options.listeners.http || (await httpAnswers(`${httpUrl}/__kupala_ready`))) &&
        (!options.listeners.websocket || (await tcpAnswers(ports.websocket))),
      {
        timeoutMs: options.startTimeoutMs ?? 180_000,
        intervalMs: 250,
        process: offline,
        lastOutput: () => tail.text(),
        signal: options.signal,
      },
    ),
    lastOutput: () => tail.text(),
    // serverless-offline keeps no state worth a long goodbye.
    stop: () => offline.stop({ graceMs: 1500 }),
  };
};
