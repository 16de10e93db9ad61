import { httpEvent, lambdaContext } from '@kupala/trade-model/testing';
import { type CompiledHttpRoute, compiledHttpRoutes } from './packaged-services';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;

export interface RouteCall {
  params?: Record<string, string>;
  body?: unknown;
  /** Sent as is (no JSON encoding), e.g. malformed JSON. */
  rawBody?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}
export interface RouteAnswer {
  status: number;
  /** Parsed JSON, or the text when it is not JSON. */
  body: unknown;
  text: string;
}

/**
 * Calls the handlers of the compiled templates in-process, as API Gateway would (route key, path parameters,
 * query, headers, body): what the guard tests and the OpenAPI-driven property test send their requests through.
 */
export const compiledRouteCaller = (routes: CompiledHttpRoute[] = compiledHttpRoutes()) => {
  const handlers = new Map<CompiledHttpRoute, Handler>();
  const call = async (
    routeKey: string,
    token: string | undefined,
    request: RouteCall = {},
  ): Promise<RouteAnswer> => {
    const route = routes.find((candidate) => `${candidate.method} ${candidate.path}` === routeKey);
    if (route === undefined) throw new Error(`${routeKey} is not in the compiled templates`);
    if (!handlers.has(route))
      handlers.set(route, (await import(route.handlerModule))[route.handlerExport] as Handler);
    const handler = handlers.get(route) as Handler;
    // only the parameters this route has: path schemas are strict
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
    const params = Object.fromEntries(names.map((name) => [name, request.params?.[name] ?? '']));
    const path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
      encodeURIComponent(params[name] ?? ''),
    );
    const response = await handler(
      httpEvent({
        method: route.method,
        path,
        routePath: route.path,
        pathParameters: params,
        ...(token === undefined ? {} : { token }),
        body: request.body,
        ...(request.rawBody === undefined ? {} : { rawBody: request.rawBody }),
        ...(request.headers === undefined ? {} : { headers: request.headers }),
        query: request.query,
      }),
      lambdaContext(route.functionName),
    );
    const text = response.body ?? '';
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: response.statusCode, body, text };
  };
  return { routes, call };
};
