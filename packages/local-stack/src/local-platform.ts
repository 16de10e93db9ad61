import { existsSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { buildWebClient } from '@kupala/web-client/build';
import {
  bucketNotificationTargets,
  deployedFunctionNames,
  forwardObjectEvents,
} from './bucket-notifications';
import { loadOrCreateLocalCredentialsKey, localCredentialsEnvironment } from './credentials-key';
import { seedDemoHistory } from './demo-history';
import { DEMO_USERNAME, demoSeedSummary, seedDemoUser } from './demo-seed';
import { seedDemoUniverse } from './demo-universe';
import {
  LOCAL_REGION,
  localAwsCredentials,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from './dynamodb-local';
import { type RunningGateway, startGateway } from './gateway';
import {
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  type LocalIssuer,
  loadOrCreateLocalIssuer,
  localAuthEnvironment,
} from './issuer';
import { createBuckets, type RunningLocalS3, startLocalS3 } from './local-s3';
import {
  DEFAULT_SERVICE_PORTS,
  launchOfflineService,
  offlineListeners,
  portVariable,
  type RunningOfflineService,
  SERVICE_NAMES,
  type ServiceName,
  type ServicePorts,
  serviceDirectory,
  WEBSOCKET_SERVICE,
} from './offline-services';
import { assertPortsFree, findFreePort, type PortClaim, portFromEnv } from './ports';
import { type GatewayRoute, routesFromServiceConfig } from './route-table';
import {
  bucketNamesFromResources,
  LOCAL_PSEUDO_PARAMETERS,
  printServiceConfig,
  type ResourceMap,
  resourcesOfConfig,
  resourcesOfType,
  serviceParamNames,
  stageParamNames,
} from './service-templates';
import {
  invokeThroughOffline,
  type RunningStreamForwarder,
  startStreamForwarder,
  streamArnPlaceholder,
  streamTargets,
} from './stream-forwarder';
import { createTables, localDynamoDbClient, tableInputsFromResources } from './tables';
import { type RunningWebServer, startWebServer } from './web-server';
import { localStateDir, workspaceRoot } from './workspace';

/**
 * The whole local platform behind `pnpm dev`: DynamoDB Local, local S3, the token issuer, every service
 * under serverless-offline (tables and buckets from the services' own CloudFormation) and the gateway.
 */

export const LOCAL_STAGE = 'local';

export interface PlatformPorts {
  gateway: number;
  dynamodb: number;
  s3: number;
  /** The web client's local server (KUPALA_WEB_PORT). */
  web: number;
  services: Record<ServiceName, ServicePorts>;
}

export const DEFAULT_GATEWAY_PORT = 4000;
export const DEFAULT_DYNAMODB_PORT = 4001;
export const DEFAULT_S3_PORT = 4002;
export const DEFAULT_WEB_PORT = 4003;

/** Ports from KUPALA_GATEWAY_PORT, KUPALA_DYNAMODB_PORT, KUPALA_S3_PORT, KUPALA_<SERVICE>_{HTTP,LAMBDA,WEBSOCKET}_PORT. */
export const platformPortsFromEnv = (env: NodeJS.ProcessEnv = process.env): PlatformPorts => {
  const services = {} as Record<ServiceName, ServicePorts>;
  for (const service of SERVICE_NAMES) {
    const defaults = DEFAULT_SERVICE_PORTS[service];
    services[service] = {
      http: portFromEnv(env, portVariable(service, 'http'), defaults.http),
      lambda: portFromEnv(env, portVariable(service, 'lambda'), defaults.lambda),
      websocket: portFromEnv(env, portVariable(service, 'websocket'), defaults.websocket),
    };
  }
  return {
    gateway: portFromEnv(env, 'KUPALA_GATEWAY_PORT', DEFAULT_GATEWAY_PORT),
    dynamodb: portFromEnv(env, 'KUPALA_DYNAMODB_PORT', DEFAULT_DYNAMODB_PORT),
    s3: portFromEnv(env, 'KUPALA_S3_PORT', DEFAULT_S3_PORT),
    web: portFromEnv(env, 'KUPALA_WEB_PORT', DEFAULT_WEB_PORT),
    services,
  };
};

/** The KUPALA_* variables that put the platform on `ports` (what platformPortsFromEnv reads back). */
export const platformPortVariables = (ports: PlatformPorts): Record<string, string> => ({
  KUPALA_GATEWAY_PORT: String(ports.gateway),
  KUPALA_DYNAMODB_PORT: String(ports.dynamodb),
  KUPALA_S3_PORT: String(ports.s3),
  KUPALA_WEB_PORT: String(ports.web),
  ...Object.fromEntries(
    SERVICE_NAMES.flatMap((service) =>
      (['http', 'lambda', 'websocket'] as const).map((kind) => [
        portVariable(service, kind),
        String(ports.services[service][kind]),
      ]),
    ),
  ),
});

/** Distinct free ports for everything the platform binds: a second platform beside a developer's `dev`. */
export const freePlatformPorts = async (): Promise<PlatformPorts> => {
  const taken = new Set<number>();
  const next = async (): Promise<number> => {
    for (;;) {
      const port = await findFreePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const services = {} as Record<ServiceName, ServicePorts>;
  for (const service of SERVICE_NAMES)
    services[service] = { http: await next(), lambda: await next(), websocket: await next() };
  return { gateway: await next(), dynamodb: await next(), s3: await next(), web: await next(), services };
};

export interface LocalPlatformOptions {
  ports: PlatformPorts;
  services?: readonly ServiceName[];
  root?: string;
  /** Git-ignored state: issuer keys, persisted tables/objects. Default <root>/.kupala. */
  stateDir?: string;
  endpointsFile?: string;
  issuerDir?: string;
  persist?: boolean;
  seed?: boolean;
  /** `--param` values that override the local defaults. */
  params?: Readonly<Record<string, string>>;
  /** Print every offline line (prefixed by service); otherwise only errors. */
  verbose?: boolean;
  log?: (message: string) => void;
  logError?: (message: string) => void;
}

export interface PlatformEndpoints {
  http: string;
  ws: string;
  /** The web client: the URL a person opens in a browser. */
  web: string;
}

export interface ServiceStatus {
  service: ServiceName;
  state: 'running' | 'no-functions' | 'failed';
  detail?: string;
  routes: number;
}

export interface StartedPlatform {
  endpoints: PlatformEndpoints;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  issuer: LocalIssuer;
  services: ServiceStatus[];
  demo?: { portfolioId: string; created: boolean } | { error: string };
  /** Milliseconds per phase and in total, for the start-up report. */
  timings: Record<string, number>;
}

const ERROR_LINE =
  /\b(error|exception|unhandled|uncaught|fatal|failed|cannot find|enoent|eaddrinuse)\b|✖|×|"level":"(ERROR|CRITICAL)"/i;
const CONTINUATION_LINE = /^\s+(at |\.\.\.|[^\s])/;

/** Prints offline output: everything with verbose, otherwise error lines and the stack lines that follow them. */
const offlineOutputPrinter = (
  service: string,
  verbose: boolean,
  log: (message: string) => void,
  logError: (message: string) => void,
) => {
  let continuation = 0;
  return (line: string): void => {
    const prefixed = `[${service}] ${line}`;
    if (ERROR_LINE.test(line)) {
      continuation = 30;
      logError(prefixed);
    } else if (continuation > 0 && CONTINUATION_LINE.test(line)) {
      continuation -= 1;
      logError(prefixed);
    } else {
      continuation = 0;
      if (verbose) log(prefixed);
    }
  };
};

interface ResolvedService {
  service: ServiceName;
  dir: string;
  config: Record<string, unknown>;
  resources: ResourceMap;
  /** Every `${param:…}` the service uses. */
  paramNames: string[];
  /** Params the service defines itself for the local stage. */
  ownStageParams: Set<string>;
}

/** What a `${param:…}` gets locally when `--param` does not set it. */
const localParamValue = (
  name: string,
  context: { streamArns: Map<string, string>; tableNames: Map<string, string>; ports: PlatformPorts },
): string => {
  if (name === 'userPoolId' || name === 'httpApiId') return 'local';
  if (name === 'accountId' || name === 'awsAccountId')
    return LOCAL_PSEUDO_PARAMETERS['AWS::AccountId'] ?? 'local';
  if (name === 'region' || name === 'awsRegion') return LOCAL_REGION;
  if (name === 'userPoolClientId') return LOCAL_CLIENT_ID;
  if (name === 'webSocketApiEndpoint') {
    return `http://127.0.0.1:${context.ports.services[WEBSOCKET_SERVICE].websocket}`;
  }
  const stream = /^(.+)StreamArn$/.exec(name)?.[1];
  if (stream !== undefined) {
    const tableKey = `${stream}table`.toLowerCase();
    return context.streamArns.get(tableKey) ?? streamArnPlaceholder(tableKey);
  }
  const table = /^(.+)TableName$/.exec(name)?.[1];
  if (table !== undefined) return context.tableNames.get(`${table}table`.toLowerCase()) ?? 'local';
  return 'local';
};

/**
 * `--param` values for one service: the standard three and every other param it uses get local defaults,
 * except those the service defines itself for the local stage; explicit `dev --param` values win over all.
 */
const serviceParams = (
  service: { paramNames: readonly string[]; ownStageParams: ReadonlySet<string> },
  localValue: (name: string) => string,
  explicit: Readonly<Record<string, string>>,
): Record<string, string> => {
  const names = new Set(['userPoolId', 'userPoolClientId', 'httpApiId', ...service.paramNames]);
  const defaults = [...names]
    .filter((name) => !service.ownStageParams.has(name))
    .map((name) => [name, localValue(name)]);
  return { ...Object.fromEntries(defaults), ...explicit };
};

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class LocalPlatform {
  readonly #options: LocalPlatformOptions;
  readonly #abort = new AbortController();
  #dynamodb: RunningDynamoDbLocal | undefined;
  #s3: RunningLocalS3 | undefined;
  #gateway: RunningGateway | undefined;
  #web: RunningWebServer | undefined;
  #streams: RunningStreamForwarder | undefined;
  readonly #offline: RunningOfflineService[] = [];
  #endpointsWritten = false;
  #stopping: Promise<void> | undefined;
  #stopped = false;

  constructor(options: LocalPlatformOptions) {
    this.#options = options;
  }

  get root(): string {
    return this.#options.root ?? workspaceRoot;
  }

  get stateDir(): string {
    return this.#options.stateDir ?? localStateDir(this.root);
  }

  get endpointsFile(): string {
    return this.#options.endpointsFile ?? join(this.stateDir, 'endpoints.json');
  }

  /** Every port the platform will bind, for one up-front check. */
  portClaims(): PortClaim[] {
    const { ports } = this.#options;
    const services = this.#options.services ?? SERVICE_NAMES;
    return [
      { port: ports.gateway, purpose: 'gateway', overrideVariable: 'KUPALA_GATEWAY_PORT' },
      { port: ports.dynamodb, purpose: 'DynamoDB Local', overrideVariable: 'KUPALA_DYNAMODB_PORT' },
      { port: ports.s3, purpose: 'local S3', overrideVariable: 'KUPALA_S3_PORT' },
      { port: ports.web, purpose: 'web client', overrideVariable: 'KUPALA_WEB_PORT' },
      ...services.flatMap((service) => [
        {
          port: ports.services[service].http,
          purpose: `${service} HTTP`,
          overrideVariable: portVariable(service, 'http'),
        },
        {
          port: ports.services[service].lambda,
          purpose: `${service} Lambda`,
          overrideVariable: portVariable(service, 'lambda'),
        },
        ...(service === WEBSOCKET_SERVICE
          ? [
              {
                port: ports.services[service].websocket,
                purpose: `${service} WebSocket`,
                overrideVariable: portVariable(service, 'websocket'),
              },
            ]
          : []),
      ]),
    ];
  }

  async start(): Promise<StartedPlatform> {
    const started = Date.now();
    const timings: Record<string, number> = {};
    const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
      const phaseStart = Date.now();
      try {
        return await work();
      } finally {
        timings[phase] = Date.now() - phaseStart;
      }
    };
    const { ports } = this.#options;
    const log = this.#options.log ?? (() => undefined);
    const logError = this.#options.logError ?? log;
    const signal = this.#abort.signal;
    const persist = this.#options.persist === true;
    const services = this.#options.services ?? SERVICE_NAMES;

    await timed('portCheck', () => assertPortsFree(this.portClaims()));

    // Independent start-up work runs in parallel: the JVM, S3, the issuer and one `serverless print` per service.
    const dynamodbStarting = timed('dynamodb', async () => {
      this.#dynamodb = await startDynamoDbLocal({
        port: ports.dynamodb,
        persistDir: persist ? join(this.stateDir, 'dynamodb') : undefined,
        log,
        signal,
      });
      return this.#dynamodb;
    });
    const s3Starting = timed('s3', async () => {
      this.#s3 = await startLocalS3({
        port: ports.s3,
        directory: persist ? join(this.stateDir, 's3') : undefined,
      });
      return this.#s3;
    });
    const issuerLoading = timed('issuer', () =>
      loadOrCreateLocalIssuer(this.#options.issuerDir ?? join(this.stateDir, 'issuer')),
    );
    const credentialsKeyLoading = timed('credentialsKey', () =>
      loadOrCreateLocalCredentialsKey(join(this.stateDir, 'credentials')),
    );
    const explicitParams = this.#options.params ?? {};
    const noTablesYet = {
      streamArns: new Map<string, string>(),
      tableNames: new Map<string, string>(),
      ports,
    };
    const resolving = timed('resolveServices', () =>
      Promise.all(
        services.map(async (service): Promise<ResolvedService | { service: ServiceName; error: string }> => {
          const dir = serviceDirectory(service, this.root);
          if (!existsSync(join(dir, 'serverless.yml'))) return { service, error: 'no serverless.yml' };
          try {
            const paramNames = await serviceParamNames(dir);
            const ownStageParams = new Set(await stageParamNames(dir, LOCAL_STAGE));
            const params = serviceParams(
              { paramNames, ownStageParams },
              (name) => localParamValue(name, noTablesYet),
              explicitParams,
            );
            const config = await printServiceConfig(dir, LOCAL_STAGE, { params, env: this.#childEnv() });
            return { service, dir, config, resources: resourcesOfConfig(config), paramNames, ownStageParams };
          } catch (error: unknown) {
            return { service, error: errorMessage(error) };
          }
        }),
      ),
    );
    // The SPA is bundled into the state dir (not the package), so two platforms never share a build.
    const webBuilding = timed('webBuild', () => buildWebClient(join(this.stateDir, 'web')));
    const settled = await Promise.allSettled([
      dynamodbStarting,
      s3Starting,
      issuerLoading,
      resolving,
      webBuilding,
      credentialsKeyLoading,
    ]);
    const failure = settled.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    const dynamodb = await dynamodbStarting;
    const s3 = await s3Starting;
    const issuer = await issuerLoading;
    const credentialsKey = await credentialsKeyLoading;
    const resolutions = await resolving;
    signal.throwIfAborted();

    const statuses = new Map<ServiceName, ServiceStatus>();
    const resolved: ResolvedService[] = [];
    for (const resolution of resolutions) {
      if ('error' in resolution) {
        statuses.set(resolution.service, {
          service: resolution.service,
          state: 'failed',
          detail: resolution.error,
          routes: 0,
        });
        logError(
          `[dev] ${resolution.service}: cannot resolve its configuration, skipped:\n${resolution.error}`,
        );
      } else {
        resolved.push(resolution);
      }
    }

    // Tables and buckets from each service's own CloudFormation (one definition, stage `local`).
    const { streamArns, tableNames } = await timed('tablesAndBuckets', async () => {
      const allResources = resolved.map((service) => service.resources);
      await Promise.all(
        resolved.map(async (service) => {
          await createTables(dynamodb.endpoint, tableInputsFromResources(service.resources));
          await createBuckets(s3.endpoint, bucketNamesFromResources(service.resources));
        }),
      );
      return this.#describeTables(dynamodb.endpoint, allResources);
    });
    signal.throwIfAborted();

    const env = this.#childEnv({ dynamodb, s3, issuer, credentialsKey });
    const launched = await timed('offline', async () => {
      const runnable = resolved.filter((service) => {
        const listeners = offlineListeners(service.config);
        if (listeners.functionCount > 0) return true;
        statuses.set(service.service, { service: service.service, state: 'no-functions', routes: 0 });
        log(`[dev] ${service.service}: no functions yet; tables and buckets created, offline not started`);
        return false;
      });
      const results = await Promise.all(
        runnable.map(async (service) => {
          const params = serviceParams(
            service,
            (name) => localParamValue(name, { streamArns, tableNames, ports }),
            explicitParams,
          );
          const printer = offlineOutputPrinter(
            service.service,
            this.#options.verbose === true,
            log,
            logError,
          );
          const offline = launchOfflineService({
            service: service.service,
            serviceDir: service.dir,
            stage: LOCAL_STAGE,
            ports: ports.services[service.service],
            listeners: offlineListeners(service.config),
            params,
            env,
            onLine: printer,
            signal,
          });
          this.#offline.push(offline);
          try {
            await offline.ready;
            const routes = routesFromServiceConfig(service.service, service.config);
            statuses.set(service.service, {
              service: service.service,
              state: 'running',
              routes: routes.length,
            });
            offline.process.exited.then((exit) => {
              if (this.#stopping === undefined) {
                logError(
                  `[dev] ${service.service}: serverless offline exited unexpectedly (code ${exit.code}, signal ${exit.signal})`,
                );
              }
            });
            return { service, offline, routes };
          } catch (error: unknown) {
            if (signal.aborted) throw error;
            statuses.set(service.service, {
              service: service.service,
              state: 'failed',
              detail: errorMessage(error),
              routes: 0,
            });
            logError(`[dev] ${service.service}: serverless offline failed to start:\n${errorMessage(error)}`);
            return undefined;
          }
        }),
      );
      return results.flatMap((result) => (result === undefined ? [] : [result]));
    });
    signal.throwIfAborted();

    // s3rver calls no Lambda: forward its object events as the buckets' notification configurations say
    const notificationTargets = launched.flatMap(({ service }) =>
      bucketNotificationTargets(service.resources, deployedFunctionNames(service.config, LOCAL_STAGE)).map(
        (target) => ({ target, lambdaUrl: `http://127.0.0.1:${ports.services[service.service].lambda}` }),
      ),
    );
    if (notificationTargets.length > 0)
      s3.onObjectEvent(forwardObjectEvents(notificationTargets, { onError: logError }));

    // serverless-offline has no event source mappings: stream records reach the same handlers through this
    const streamTargetList = launched.flatMap(({ service }) =>
      streamTargets(service.config, LOCAL_STAGE).map((target) => ({
        target,
        tableName: tableNames.get(target.table) ?? target.table,
        invoke: invokeThroughOffline(`http://127.0.0.1:${ports.services[service.service].lambda}`),
      })),
    );
    if (streamTargetList.length > 0) {
      this.#streams = await startStreamForwarder({
        dynamodbEndpoint: dynamodb.endpoint,
        targets: streamTargetList,
        onError: logError,
      });
      if (this.#options.verbose === true) {
        for (const { target, tableName } of streamTargetList)
          log(`[streams] ${tableName} -> ${target.functionName}`);
      }
    }

    const routes: GatewayRoute[] = launched.flatMap((entry) => entry.routes);
    const targets = Object.fromEntries(
      launched.map((entry) => [entry.service.service, entry.offline.httpUrl]),
    );
    this.#gateway = await timed('gateway', () =>
      startGateway({
        routes,
        targets,
        port: ports.gateway,
        onRequest: (entry) => {
          const line = `[gateway] ${entry.method} ${entry.path} -> ${entry.service ?? '404'} ${entry.status} (${entry.ms} ms)`;
          if (entry.status >= 500) logError(line);
          else if (this.#options.verbose === true) log(line);
        },
      }),
    );
    const gatewayUrl = this.#gateway.url;
    const wsUrl = `ws://127.0.0.1:${ports.services[WEBSOCKET_SERVICE].websocket}`;
    const site = await webBuilding;
    this.#web = await timed('web', () =>
      startWebServer({ siteDir: site.outDir, gatewayUrl, wsUrl, issuer, port: ports.web }),
    );
    const endpoints: PlatformEndpoints = { http: gatewayUrl, ws: wsUrl, web: this.#web.url };

    let demo: StartedPlatform['demo'];
    if (this.#options.seed !== false && statuses.get('trades')?.state === 'running') {
      demo = await timed('seed', async () => {
        try {
          const token = await issuer.signAccessToken(DEMO_USERNAME);
          const result = await seedDemoUser(endpoints.http, token);
          log(`[dev] ${demoSeedSummary(result)}`);
          if (result.created && result.prices > 0) {
            // issue 9: a year of simulated daily closes and the EOD history built over it
            const refreshPort = ports.services['market-data'].lambda;
            await seedDemoHistory({
              baseUrl: endpoints.http,
              token,
              portfolioId: result.portfolioId,
              refreshUrl: `http://127.0.0.1:${refreshPort}/2015-03-31/functions/kupala-market-data-${LOCAL_STAGE}-refreshMarketData/invocations`,
            }).then(
              (days) => log(`[dev] Demo EOD history: ${days} business days`),
              // the demo keeps its trades and positions without it
              (error: unknown) =>
                logError(`[dev] building the demo's EOD history failed: ${errorMessage(error)}`),
            );
            // issue 10: three years of closes of a few symbols, enough for the market-universe dataset
            await seedDemoUniverse(endpoints.http, token, new Date()).then(
              (symbols) => log(`[dev] Demo market universe: 3 years of closes of ${symbols} symbols`),
              (error: unknown) =>
                logError(`[dev] seeding the demo's market universe failed: ${errorMessage(error)}`),
            );
          }
          return { portfolioId: result.portfolioId, created: result.created };
        } catch (error: unknown) {
          logError(`[dev] seeding the demo user failed: ${errorMessage(error)}`);
          return { error: errorMessage(error) };
        }
      });
    }
    signal.throwIfAborted();

    await this.#writeEndpoints(endpoints);
    timings.total = Date.now() - started;
    return {
      endpoints,
      dynamodbEndpoint: dynamodb.endpoint,
      s3Endpoint: s3.endpoint,
      issuer,
      services: services.map((service) => statuses.get(service) ?? { service, state: 'failed', routes: 0 }),
      ...(demo === undefined ? {} : { demo }),
      timings,
    };
  }

  /** Stops everything that was started (safe at any phase, idempotent): gateway, offline groups, S3, JVM. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#abort.abort(new Error('The local platform is stopping'));
      const errors: unknown[] = [];
      const attempt = async (work: () => Promise<void>) => {
        try {
          await work();
        } catch (error: unknown) {
          errors.push(error);
        }
      };
      if (this.#endpointsWritten) await attempt(() => rm(this.endpointsFile, { force: true }));
      // All at once: nothing local needs an orderly drain, and stop time is part of the dev loop.
      await Promise.all([
        attempt(() => this.#gateway?.stop() ?? Promise.resolve()),
        attempt(() => this.#web?.stop() ?? Promise.resolve()),
        attempt(() => this.#streams?.stop() ?? Promise.resolve()),
        ...this.#offline.map((offline) => attempt(() => offline.stop())),
        attempt(() => this.#s3?.stop() ?? Promise.resolve()),
        attempt(() => this.#dynamodb?.stop() ?? Promise.resolve()),
      ]);
      this.#stopped = errors.length === 0;
      if (errors.length > 0) {
        throw new AggregateError(errors, 'Some parts of the local platform did not stop cleanly');
      }
    })();
    return this.#stopping;
  }

  /** Last resort (second Ctrl-C, process exit): SIGKILL every process group still alive, synchronously. */
  killNow(): void {
    if (this.#stopped) return;
    if (this.#endpointsWritten) rmSync(this.endpointsFile, { force: true });
    // Only groups whose leader still runs: the pgid of a finished group may already name someone else's.
    const groups = [
      ...this.#offline
        .filter((offline) => !offline.process.hasExited())
        .map((offline) => offline.process.pid),
      ...(this.#dynamodb === undefined || this.#dynamodb.hasExited() ? [] : [this.#dynamodb.pid]),
    ];
    for (const pid of groups) {
      if (pid <= 0) continue;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Environment of every child: endpoints, local credentials, the issuer's public keys, all platform ports. */
  #childEnv(
    running: {
      dynamodb?: RunningDynamoDbLocal;
      s3?: RunningLocalS3;
      issuer?: LocalIssuer;
      credentialsKey?: string;
    } = {},
  ): NodeJS.ProcessEnv {
    const { ports } = this.#options;
    return {
      ...process.env,
      ...platformPortVariables(ports),
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: localAwsCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localAwsCredentials.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...(running.dynamodb === undefined
        ? {}
        : {
            KUPALA_DYNAMODB_ENDPOINT: running.dynamodb.endpoint,
            AWS_ENDPOINT_URL_DYNAMODB: running.dynamodb.endpoint,
          }),
      ...(running.s3 === undefined
        ? {}
        : {
            KUPALA_S3_ENDPOINT: running.s3.endpoint,
            AWS_ENDPOINT_URL_S3: running.s3.endpoint,
            // s3rver needs path-style requests; AWS_* variables reach the handlers under serverless-offline.
            AWS_S3_FORCE_PATH_STYLE: 'true',
          }),
      ...(running.issuer === undefined ? {} : localAuthEnvironment(running.issuer)),
      // What config/serverless/shared.yml hands to the functions as AUTH_LOCAL_ISSUER / AUTH_LOCAL_JWKS.
      ...(running.issuer === undefined
        ? {}
        : {
            KUPALA_AUTH_LOCAL_ISSUER: LOCAL_ISSUER,
            KUPALA_AUTH_LOCAL_JWKS: JSON.stringify(running.issuer.publicJwks),
          }),
      // the raw AES key of the local credentials keyring (config/serverless/local-credentials.yml)
      ...(running.credentialsKey === undefined ? {} : localCredentialsEnvironment(running.credentialsKey)),
    };
  }

  /** Stream ARNs and names of the created tables, keyed by lower-cased logical id (for `${param:…}` defaults). */
  async #describeTables(
    endpoint: string,
    resourceMaps: readonly ResourceMap[],
  ): Promise<{ streamArns: Map<string, string>; tableNames: Map<string, string> }> {
    const streamArns = new Map<string, string>();
    const tableNames = new Map<string, string>();
    const client = localDynamoDbClient(endpoint);
    try {
      const tables = resourceMaps.flatMap((resources) =>
        resourcesOfType(resources, 'AWS::DynamoDB::Table').flatMap(([logicalId, properties]) =>
          typeof properties.TableName === 'string'
            ? [{ key: logicalId.toLowerCase(), name: properties.TableName }]
            : [],
        ),
      );
      await Promise.all(
        tables.map(async ({ key, name }) => {
          tableNames.set(key, name);
          const description = await client.send(new DescribeTableCommand({ TableName: name }));
          const arn = description.Table?.LatestStreamArn;
          if (arn !== undefined) streamArns.set(key, arn);
        }),
      );
    } finally {
      client.destroy();
    }
    return { streamArns, tableNames };
  }

  async #writeEndpoints(endpoints: PlatformEndpoints): Promise<void> {
    const file = this.endpointsFile;
    await mkdir(dirname(file), { recursive: true });
    const staged = `${file}.${process.pid}.tmp`;
    await writeFile(staged, `${JSON.stringify(endpoints)}\n`);
    await rename(staged, file);
    this.#endpointsWritten = true;
  }
}
