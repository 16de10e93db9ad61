import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { lazily } from '../config';
import type { IdempotencyStore } from '../idempotency-store';
import type * as z from '../zod';
import { type AccessTokenVerifier, type AuthenticatedUser, buildAccessTokenVerifier } from './auth';
import { idempotency } from './idempotency';
import {
  errorMapper,
  httpAccessLog,
  jsonBody,
  jsonResponse,
  jwtAuth,
  type KupalaContext,
  type RouteResult,
  validateRequest,
} from './middleware';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Schema = z.core.$ZodType;
type Present<T> = Exclude<T, undefined>;
type Infer<T> = [Present<T>] extends [never]
  ? undefined
  : Present<T> extends Schema
    ? z.infer<Present<T>>
    : undefined;
type ResponseBody<T> = [Present<T>] extends [never]
  ? unknown
  : Present<T> extends Schema
    ? z.output<Present<T>>
    : unknown;

/** One operation of the public contract: the single source for validation, handlers and OpenAPI. */
export interface RouteDefinition<
  TParams extends Schema | undefined = Schema | undefined,
  TQuery extends Schema | undefined = Schema | undefined,
  TBody extends Schema | undefined = Schema | undefined,
  TResponse extends Schema | undefined = Schema | undefined,
> {
  operationId: string;
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: boolean;
  params?: TParams;
  query?: TQuery;
  body?: TBody;
  response?: TResponse;
  successStatus: 200 | 201 | 202 | 204;
  /** Other media types the success answer may carry (a download chosen by a query parameter), with its schema. */
  downloads?: Readonly<Record<string, { type: 'string'; contentMediaType?: string }>>;
  /** Other answers this operation can give (status: description), for the OpenAPI document. */
  otherResponses?: Readonly<Record<number, { description: string; schema?: TResponse | Schema }>>;
  /** Creating POSTs honour `Idempotency-Key`. */
  idempotent?: boolean;
  maxBodyBytes?: number;
  /** Answers the operation gives beyond the ones every route of its shape has (documented in OpenAPI). */
  errorResponses?: Partial<Record<404 | 409 | 413 | 422, string>>;
}

export const defineRoute = <
  TParams extends Schema | undefined = undefined,
  TQuery extends Schema | undefined = undefined,
  TBody extends Schema | undefined = undefined,
  TResponse extends Schema | undefined = undefined,
>(
  route: RouteDefinition<TParams, TQuery, TBody, TResponse>,
) => route;

export interface RouteInput<TRoute extends RouteDefinition> {
  user: AuthenticatedUser;
  params: Infer<TRoute['params']>;
  query: Infer<TRoute['query']>;
  body: Infer<TRoute['body']>;
  event: APIGatewayProxyEventV2;
}
export type RouteHandler<TRoute extends RouteDefinition> = (
  input: RouteInput<TRoute>,
  // a string body is JSON the handler already serialized (e.g. a large export)
) => Promise<RouteResult & { body?: ResponseBody<TRoute['response']> | string }>;

// built once per container from configuration
const defaultVerifier = lazily(buildAccessTokenVerifier);

export interface HttpRouteOptions {
  /** Tests may inject one; by default it is built once per container from configuration. */
  verifier?: AccessTokenVerifier;
  /** Where an idempotent route keeps its records (the service's own table), resolved at first use. */
  idempotencyStore?: () => IdempotencyStore;
}

const missingIdempotencyStore = (operationId: string) => (): IdempotencyStore => {
  throw new Error(`Route ${operationId} is idempotent but no idempotency store was configured`);
};

export type HttpLambda = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Wraps a handler in the one middleware stack: access log, error mapping, JSON response, JWT auth
 * (unless the route is public), JSON body with size limit, strict validation of path/query/body.
 */
export const httpRoute = <TRoute extends RouteDefinition>(
  route: TRoute,
  handler: RouteHandler<TRoute>,
  options: HttpRouteOptions = {},
): HttpLambda => {
  const core = async (event: APIGatewayProxyEventV2, context: KupalaContext) => {
    const state = context.kupala;
    const input = state.input ?? { params: undefined, query: undefined, body: undefined };
    return handler({ ...input, user: state.user, event } as RouteInput<TRoute>);
  };
  const stack = middy<
    APIGatewayProxyEventV2,
    RouteResult | APIGatewayProxyStructuredResultV2,
    Error,
    KupalaContext
  >(core)
    .use(httpAccessLog())
    .use(errorMapper())
    .use(jsonResponse());
  if (route.auth) {
    const verifier = options.verifier;
    stack.use(jwtAuth({ verifier: () => verifier ?? defaultVerifier() }));
  }
  // a route without a body ignores whatever body comes along, as its document says (no 413/415 to explain)
  if (route.body !== undefined) stack.use(jsonBody({ maxBytes: route.maxBodyBytes }));
  stack.use(validateRequest({ params: route.params, query: route.query, body: route.body }));
  if (route.idempotent && route.auth) {
    const store = options.idempotencyStore ?? missingIdempotencyStore(route.operationId);
    stack.use(idempotency({ operationId: route.operationId, store }));
  }
  return stack as unknown as HttpLambda;
};
