import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { IdempotencyScope, StoredResponse } from '../idempotency-store';
import { logger } from '../logging';
import type { ErrorBody } from '../schemas/api';
import * as z from '../zod';
import { type AccessTokenVerifier, type AuthenticatedUser, authenticate, bearerToken } from './auth';
import {
  type ErrorDetail,
  HttpError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';

/** What the stack learns about a request before the handler runs. */
export interface KupalaRequestState {
  user?: AuthenticatedUser;
  rawBody?: unknown;
  input?: { params: unknown; query: unknown; body: unknown };
  /** The Idempotency-Key reservation this request holds, if any. */
  idempotency?: {
    scope: IdempotencyScope;
    /** True once the handler returned: its writes are committed, the reservation must outlive any later failure. */
    handlerReturned: boolean;
    response?: StoredResponse;
  };
}
export type KupalaContext = Context & { kupala: KupalaRequestState };
/** What a route handler returns; `body` is serialized by the stack. */
export interface RouteResult {
  statusCode: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The string body is base64 of binary content (API Gateway decodes it for the client). */
  isBase64Encoded?: boolean;
}
type KupalaRequest = Request<
  APIGatewayProxyEventV2,
  RouteResult | APIGatewayProxyStructuredResultV2,
  Error,
  KupalaContext
>;
export type KupalaMiddleware = MiddlewareObj<
  APIGatewayProxyEventV2,
  RouteResult | APIGatewayProxyStructuredResultV2,
  Error,
  KupalaContext
>;

const SECURITY_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** A request header by lower-case name, whatever case the client used. */
export const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const headers = event.headers ?? {};
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
};

const stateOf = (request: KupalaRequest): KupalaRequestState => {
  request.context.kupala ??= {};
  return request.context.kupala;
};

/**
 * One log line per invocation with its status and duration; `describe` picks what identifies the request.
 * The event itself (tokens included) is never logged.
 */
export const accessLog = <
  TEvent,
  TResult extends { statusCode?: number } | undefined,
  TContext extends Context,
>(
  message: string,
  describe: (request: Request<TEvent, TResult, Error, TContext>) => Record<string, unknown>,
): MiddlewareObj<TEvent, TResult, Error, TContext> => {
  // per request, never per module: concurrent invocations in one process each time their own request
  const startedAt = new WeakMap<object, number>();
  const log = (request: Request<TEvent, TResult, Error, TContext>, statusCode: number) => {
    logger.info(message, {
      ...describe(request),
      statusCode,
      durationMs: Math.round(performance.now() - (startedAt.get(request) ?? performance.now())),
    });
  };
  return {
    before: (request) => {
      startedAt.set(request, performance.now());
      logger.addContext(request.context);
    },
    after: (request) => log(request, request.response?.statusCode ?? 200),
    onError: (request) => log(request, request.response?.statusCode ?? 500),
  };
};

/** The HTTP access log: method, route and the caller's sub. */
export const httpAccessLog = (): KupalaMiddleware =>
  accessLog('request', (request) => ({
    method: request.event.requestContext?.http?.method,
    route: request.event.routeKey,
    userSub: request.context.kupala?.user?.sub,
  }));

/** 401 unless `Authorization: Bearer` carries a token the verifier accepts. */
export const jwtAuth = (options: { verifier: () => AccessTokenVerifier }): KupalaMiddleware => ({
  before: async (request) => {
    const token = bearerToken(header(request.event, 'authorization'));
    stateOf(request).user = await authenticate(options.verifier(), token);
  },
});

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Parses a JSON body; 413 past `maxBytes`, 415 for another media type, 400 for malformed JSON. */
export const jsonBody = (options: { maxBytes?: number } = {}): KupalaMiddleware => {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    before: (request) => {
      const { body, isBase64Encoded } = request.event as { body?: unknown; isBase64Encoded?: boolean };
      if (body === undefined || body === null || body === '') return;
      // API Gateway always hands over the body as text; anything else is not a request we can read
      if (typeof body !== 'string') throw new ValidationError('Request body is not valid JSON');
      const raw = isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
      if (raw.byteLength > maxBytes) throw new PayloadTooLargeError(maxBytes);
      const contentType = header(request.event, 'content-type') ?? '';
      if (!/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType))
        throw new UnsupportedMediaTypeError();
      try {
        stateOf(request).rawBody = JSON.parse(raw.toString('utf8'));
      } catch (error: unknown) {
        throw new ValidationError('Request body is not valid JSON', [], error);
      }
    },
  };
};

/** How much of a caller's own input (a key, a value) an error message may quote. */
export const MAX_QUOTED_INPUT = 64;
const MAX_MESSAGE_LENGTH = 300;
/** At most this many details in one 400: the rest adds nothing but bytes. */
export const MAX_ERROR_DETAILS = 20;

/** Caller input shortened for an error message, so a 1 MiB key never comes back as a 1 MiB error. */
export const quoteInput = (value: string): string =>
  value.length <= MAX_QUOTED_INPUT ? value : `${value.slice(0, MAX_QUOTED_INPUT)}…(${value.length} chars)`;

const messageOf = (issue: z.core.$ZodIssue): string =>
  issue.code === 'unrecognized_keys'
    ? `Unrecognized key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys
        .slice(0, 5)
        .map((key) => JSON.stringify(quoteInput(key)))
        .join(', ')}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}`
    : // our own messages may quote a value (a date, a position): bounded, generously
      issue.message.length <= MAX_MESSAGE_LENGTH
      ? issue.message
      : `${issue.message.slice(0, MAX_MESSAGE_LENGTH)}…`;

const issuesToDetails = (prefix: string, issues: readonly z.core.$ZodIssue[]): ErrorDetail[] =>
  issues.map((issue) => ({
    path: [prefix, ...issue.path.map((part) => quoteInput(String(part)))]
      .filter((part) => part !== '')
      .join('.'),
    message: messageOf(issue),
  }));

export interface RequestSchemas {
  params?: z.core.$ZodType;
  query?: z.core.$ZodType;
  body?: z.core.$ZodType;
}

/** Validates path, query and body against strict schemas; one 400 listing every problem. */
export const validateRequest = (schemas: RequestSchemas): KupalaMiddleware => ({
  before: (request) => {
    const state = stateOf(request);
    const details: ErrorDetail[] = [];
    const check = (prefix: string, schema: z.core.$ZodType | undefined, value: unknown) => {
      if (schema === undefined) return value;
      const result = z.safeParse(schema, value);
      if (result.success) return result.data;
      details.push(...issuesToDetails(prefix, result.error.issues));
      return undefined;
    };
    const params = check('path', schemas.params, request.event.pathParameters ?? {});
    const query = check('query', schemas.query, request.event.queryStringParameters ?? {});
    let body: unknown;
    if (schemas.body !== undefined) {
      if (state.rawBody === undefined) details.push({ path: '', message: 'a JSON body is required' });
      else body = check('', schemas.body, state.rawBody);
    }
    if (details.length > 0)
      throw new ValidationError('Request is invalid', details.slice(0, MAX_ERROR_DETAILS));
    state.input = { params, query, body };
  },
});

const errorBody = (error: HttpError): ErrorBody => ({
  error: {
    code: error.code,
    message: error.message,
    ...(error.details === undefined || error.details.length === 0 ? {} : { details: error.details }),
  },
});

/** Maps any error to the contract's body: 4xx messages shown, everything else a generic 500. */
export const errorMapper = (): KupalaMiddleware => ({
  onError: (request) => {
    const { error } = request;
    if (error instanceof HttpError) {
      if (error.statusCode >= 500) logger.error('request failed', { error });
      else
        logger.info('request refused', {
          code: error.code,
          reason: error.cause instanceof Error ? error.cause.message : undefined,
        });
      request.response = {
        statusCode: error.statusCode,
        // a 503 is a busy store: the client may retry (with the same Idempotency-Key) after a moment
        headers: error.statusCode === 503 ? { ...SECURITY_HEADERS, 'retry-after': '1' } : SECURITY_HEADERS,
        body: JSON.stringify(errorBody(error)),
      };
      return;
    }
    logger.error('unhandled error', { error });
    request.response = {
      statusCode: 500,
      headers: SECURITY_HEADERS,
      body: JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error' } } satisfies ErrorBody),
    };
  },
});

/** The wire form of a handler's `{ statusCode, body }`: JSON body with the house headers. */
export const serializeResponse = (
  response: RouteResult | APIGatewayProxyStructuredResultV2,
): { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean } => {
  const body = response.body;
  return {
    statusCode: response.statusCode ?? 200,
    headers: { ...SECURITY_HEADERS, ...(response.headers as Record<string, string> | undefined) },
    body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
    ...(response.isBase64Encoded === true ? { isBase64Encoded: true } : {}),
  };
};

/** Serializes the handler's `{ statusCode, body }` to JSON with the house headers. */
export const jsonResponse = (): KupalaMiddleware => ({
  after: (request) => {
    if (request.response === undefined || request.response === null) return;
    request.response = serializeResponse(request.response);
  },
});
