import { isRecord } from './is-record';
import { functionsOfConfig } from './service-templates';
/**
 * The gateway's route table: API Gateway HTTP API route keys (`GET /portfolios/{portfolioId}`) from every
 * service, matched the way API Gateway does: the most specific route wins (a literal segment beats a
 * `{param}`, which beats a greedy `{proxy+}`), and an exact method beats ANY.
 */

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'ANY';

const METHODS: readonly RouteMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];

export interface GatewayRoute {
  service: string;
  method: RouteMethod;
  path: string;
  functionName?: string;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

interface CompiledRoute extends GatewayRoute {
  segments: Segment[];
}

export interface RouteMatch {
  route: GatewayRoute;
  params: Record<string, string>;
}

export class RouteConflictError extends Error {
  override readonly name = 'RouteConflictError';
}

const pathSegments = (path: string): string[] => path.split('/').filter((segment) => segment !== '');

const compileSegments = (path: string): Segment[] =>
  pathSegments(path).map((segment, index, all): Segment => {
    const greedy = /^\{([A-Za-z0-9_.-]+)\+\}$/.exec(segment);
    if (greedy?.[1] !== undefined) {
      if (index !== all.length - 1) throw new Error(`Greedy segment ${segment} must be last in ${path}`);
      return { kind: 'greedy', name: greedy[1] };
    }
    const param = /^\{([A-Za-z0-9_.-]+)\}$/.exec(segment);
    if (param?.[1] !== undefined) return { kind: 'param', name: param[1] };
    return { kind: 'literal', text: segment };
  });

const RANK = { literal: 0, param: 1, greedy: 2 } as const;

/** Negative when a is more specific than b. */
const compareSpecificity = (a: CompiledRoute, b: CompiledRoute): number => {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index += 1) {
    const left = a.segments[index];
    const right = b.segments[index];
    if (left === undefined || right === undefined) break;
    const difference = RANK[left.kind] - RANK[right.kind];
    if (difference !== 0) return difference;
  }
  if (a.segments.length !== b.segments.length) return b.segments.length - a.segments.length;
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
};

const shapeKey = (route: CompiledRoute): string =>
  `${route.method} /${route.segments
    .map((segment) => (segment.kind === 'literal' ? segment.text : segment.kind === 'param' ? '{}' : '{+}'))
    .join('/')}`;

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

const matchSegments = (
  segments: readonly Segment[],
  requestSegments: readonly string[],
): Record<string, string> | undefined => {
  const params: Record<string, string> = {};
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index];
    if (segment === undefined) return undefined;
    if (segment.kind === 'greedy') {
      const rest = requestSegments.slice(index);
      if (rest.length === 0) return undefined;
      params[segment.name] = rest.map(decodeSegment).join('/');
      return params;
    }
    const actual = requestSegments[index];
    if (actual === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (segment.text !== actual && segment.text !== decodeSegment(actual)) return undefined;
    } else {
      params[segment.name] = decodeSegment(actual);
    }
  }
  return segments.length === requestSegments.length ? params : undefined;
};

export const parseRouteMethod = (method: string): RouteMethod => {
  const upper = method.toUpperCase();
  if (upper === '*') return 'ANY';
  const known = METHODS.find((candidate) => candidate === upper);
  if (known === undefined) throw new Error(`Unsupported HTTP method ${method}`);
  return known;
};

export class RouteTable {
  readonly #routes: CompiledRoute[];

  constructor(routes: readonly GatewayRoute[]) {
    const compiled = routes.map((route) => ({ ...route, segments: compileSegments(route.path) }));
    const owners = new Map<string, CompiledRoute>();
    for (const route of compiled) {
      const key = shapeKey(route);
      const previous = owners.get(key);
      if (previous !== undefined) {
        throw new RouteConflictError(
          `Route ${route.method} ${route.path} (${route.service}) collides with ${previous.method} ${previous.path} (${previous.service})`,
        );
      }
      owners.set(key, route);
    }
    this.#routes = compiled.sort(compareSpecificity);
  }

  get routes(): readonly GatewayRoute[] {
    return this.#routes.map(({ segments: _segments, ...route }) => route);
  }

  /** The most specific route for the request, or undefined (→ 404). */
  match(method: string, path: string): RouteMatch | undefined {
    const requestSegments = pathSegments(path.split('?')[0] ?? '');
    const upper = method.toUpperCase();
    const candidates = (wanted: (route: CompiledRoute) => boolean) =>
      this.#routes.flatMap((route) => {
        if (!wanted(route)) return [];
        const params = matchSegments(route.segments, requestSegments);
        return params === undefined ? [] : [{ route, params }];
      });
    const found = candidates((route) => route.method === upper || route.method === 'ANY')[0];
    // CORS preflight: hand OPTIONS to the service that owns the path (serverless-offline answers it).
    const preflight = found === undefined && upper === 'OPTIONS' ? candidates(() => true)[0] : undefined;
    const match = found ?? preflight;
    if (match === undefined) return undefined;
    const { segments: _segments, ...route } = match.route;
    return { route, params: match.params };
  }
}

/**
 * The `httpApi` events of a serverless configuration (as written, or resolved by `serverless print`):
 * `httpApi: { method, path }`, `httpApi: 'GET /path'` or `httpApi: '*'`.
 */
export const routesFromServiceConfig = (service: string, config: Record<string, unknown>): GatewayRoute[] => {
  return Object.entries(functionsOfConfig(config)).flatMap(([functionName, definition]) => {
    const events = isRecord(definition) && Array.isArray(definition.events) ? definition.events : [];
    return events.flatMap((event): GatewayRoute[] => {
      if (!isRecord(event) || event.httpApi === undefined) return [];
      const httpApi = event.httpApi;
      if (httpApi === '*') return [{ service, functionName, method: 'ANY', path: '/{proxy+}' }];
      if (typeof httpApi === 'string') {
        const [method = '', path = ''] = httpApi.trim().split(/\s+/);
        return [{ service, functionName, method: parseRouteMethod(method), path }];
      }
      if (isRecord(httpApi) && typeof httpApi.path === 'string') {
        const method = typeof httpApi.method === 'string' ? httpApi.method : '*';
        return [{ service, functionName, method: parseRouteMethod(method), path: httpApi.path }];
      }
      throw new Error(`${service}.${functionName}: httpApi event needs a method and a literal path`);
    });
  });
};
