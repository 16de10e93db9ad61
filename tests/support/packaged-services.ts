import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const SERVICE_NAMES = ['trades', 'positions', 'market-data', 'ml-analysis'] as const;
export const PACKAGED_STAGE = 'test';

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
}
export interface PackagedService {
  name: (typeof SERVICE_NAMES)[number];
  dir: string;
  resources: Record<string, CfnResource>;
  outputs: Record<string, unknown>;
  functions: Record<string, { handler: string; name: string }>;
}

/** Where `pnpm run package:test` writes each stage (see tests/support/package-deployable-stage.mjs for prod). */
export const PACKAGE_DIRS = { test: '.serverless', prod: '.serverless-prod' } as const;

/** Every service as `pnpm run package:test` compiled it (CloudFormation + serverless state). */
export const packagedServices = (stage: keyof typeof PACKAGE_DIRS = PACKAGED_STAGE): PackagedService[] =>
  SERVICE_NAMES.map((name) => {
    const dir = path.join(REPO_ROOT, 'services', name);
    const templatePath = path.join(dir, PACKAGE_DIRS[stage], 'cloudformation-template-update-stack.json');
    if (!existsSync(templatePath)) {
      throw new Error(`${templatePath} is missing: run \`pnpm run package:test\` first`);
    }
    const template = JSON.parse(readFileSync(templatePath, 'utf8'));
    const state = JSON.parse(
      readFileSync(path.join(dir, PACKAGE_DIRS[stage], 'serverless-state.json'), 'utf8'),
    );
    return {
      name,
      dir,
      resources: template.Resources,
      outputs: template.Outputs ?? {},
      functions: state.service.functions ?? {},
    };
  });

export interface CompiledHttpRoute {
  service: PackagedService;
  method: string;
  path: string;
  functionName: string;
  /** Module path (without extension) and export name of the handler. */
  handlerModule: string;
  handlerExport: string;
}

const capitalized = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The function and handler a compiled API Gateway V2 route invokes (Route -> Integration -> Lambda). */
const traceRoute = (service: PackagedService, properties: { RouteKey: string; Target: unknown }) => {
  const integrationId = JSON.stringify(properties.Target).match(/"Ref":"([^"]+)"/)?.[1] ?? '';
  const integration = service.resources[integrationId]?.Properties as { IntegrationUri: unknown } | undefined;
  const lambdaId =
    JSON.stringify(integration?.IntegrationUri).match(/"([A-Za-z0-9]+)LambdaFunction"/)?.[1] ?? '';
  const functionName = Object.keys(service.functions).find(
    (name) => capitalized(name).replace(/[-_]/g, 'Dash') === lambdaId || capitalized(name) === lambdaId,
  );
  if (functionName === undefined)
    throw new Error(`Cannot trace ${properties.RouteKey} in ${service.name} to a function`);
  const handler = service.functions[functionName]?.handler ?? '';
  const dot = handler.lastIndexOf('.');
  return {
    functionName,
    handlerModule: path.join(service.dir, handler.slice(0, dot)),
    handlerExport: handler.slice(dot + 1),
  };
};

const routesOf = (service: PackagedService) =>
  Object.values(service.resources)
    .filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route')
    .map((route) => route.Properties as { RouteKey: string; Target: unknown });

/** Every HTTP route in the compiled templates, traced Route -> Integration -> Lambda -> handler file. */
export const compiledHttpRoutes = (services = packagedServices()): CompiledHttpRoute[] =>
  services.flatMap((service) =>
    routesOf(service)
      // HTTP routes only ("GET /path"); WebSocket routes are compiledWebSocketRoutes
      .filter((properties) => /^[A-Z]+ \//.test(String(properties.RouteKey)))
      .map((properties) => {
        const [method = '', routePath = ''] = properties.RouteKey.split(' ');
        return { service, method, path: routePath, ...traceRoute(service, properties) };
      }),
  );

export interface CompiledWebSocketRoute {
  service: PackagedService;
  /** `$connect`, `$disconnect`, `$default` or an action name. */
  routeKey: string;
  functionName: string;
  handlerModule: string;
  handlerExport: string;
}

/** Every WebSocket route in the compiled templates, traced to its handler file. */
export const compiledWebSocketRoutes = (services = packagedServices()): CompiledWebSocketRoute[] =>
  services.flatMap((service) =>
    routesOf(service)
      .filter((properties) => !/^[A-Z]+ \//.test(String(properties.RouteKey)))
      .map((properties) => ({ service, routeKey: properties.RouteKey, ...traceRoute(service, properties) })),
  );
