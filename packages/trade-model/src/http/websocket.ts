import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { logger } from '../logging';
import { type ErrorBody, ErrorCodeSchema } from '../schemas/api';
import { PositionSchema } from '../schemas/position';
import { CurrencySchema, IdSchema, TimestampSchema } from '../schemas/primitives';
import * as z from '../zod';
import { type ErrorDetail, HttpError, UnauthorizedError } from './errors';
import { accessLog } from './middleware';

/** Every client message is a few dozen bytes; anything past this is refused unread. */
export const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024;
/** API Gateway refuses WebSocket messages over 128 KB; the server never sends more. */
export const MAX_SERVER_MESSAGE_BYTES = 128 * 1024;
const MAX_POSITIONS_PER_MESSAGE = 1000;
const MAX_COUNT = 100_000_000;

/** A connection id as API Gateway (base64-like) or serverless-offline (UUID) issues it. */
export const ConnectionIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9+/=_-]{1,128}$/, 'must be a connection id'));

/**
 * A live connection as the positions service stores it: bound to the verified token's `sub`, and gone
 * (DynamoDB TTL on `expiresAt`, epoch seconds) at the token's `exp` or API Gateway's two-hour connection
 * limit, whichever comes first.
 * Example: `{"connectionId":"L0SM9cOFvHcCIhw=","sub":"11111111-…","connectedAt":"2026-11-24T10:00:00.000Z","expiresAt":1795600800}`.
 */
export const WebSocketConnectionSchema = z.strictObject({
  connectionId: ConnectionIdSchema,
  sub: z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/, 'must be a user id')),
  connectedAt: TimestampSchema,
  expiresAt: z.int().check(z.gte(0)),
});
export type WebSocketConnection = z.infer<typeof WebSocketConnectionSchema>;

/** Start live positions for a portfolio. Example: `{"action":"subscribe","portfolioId":"01JC9Z8Y7X6W5V4T3S2R1Q0P9N"}`. */
export const SubscribeMessageSchema = z.strictObject({
  action: z.literal('subscribe'),
  portfolioId: IdSchema,
});
/** Stop live positions for a portfolio. Example: `{"action":"unsubscribe","portfolioId":"01JC9Z8Y7X6W5V4T3S2R1Q0P9N"}`. */
export const UnsubscribeMessageSchema = z.strictObject({
  action: z.literal('unsubscribe'),
  portfolioId: IdSchema,
});
/** Keep-alive, answered with `pong`. Example: `{"action":"ping"}`. */
export const PingMessageSchema = z.strictObject({ action: z.literal('ping') });

/** Client → server messages; `action` is also API Gateway's route selection key. */
export const ClientMessageSchema = z.discriminatedUnion('action', [
  SubscribeMessageSchema,
  UnsubscribeMessageSchema,
  PingMessageSchema,
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ClientAction = ClientMessage['action'];
export const CLIENT_ACTIONS: readonly ClientAction[] = ['subscribe', 'unsubscribe', 'ping'];

/** Answer to `ping`. Example: `{"type":"pong","time":"2026-11-24T10:15:00.000Z"}`. */
export const PongMessageSchema = z.strictObject({ type: z.literal('pong'), time: TimestampSchema });

const amount = z.string().check(z.maxLength(40));
/** A portfolio's totals in its base currency. Example: `{"marketValue":"1520.00","costBasis":"1400.00",…}`. */
export const PositionsTotalsSchema = z.strictObject({
  marketValue: z.nullable(amount),
  costBasis: amount,
  unrealizedPnl: z.nullable(amount),
  realizedPnl: amount,
  income: amount,
  dayPnl: z.nullable(amount),
  netLiquidation: z.nullable(amount),
});
export type PositionsTotals = z.infer<typeof PositionsTotalsSchema>;

const MAX_MESSAGE_PARTS = 1000;
const CashBalanceMessageSchema = z.strictObject({ currency: CurrencySchema, balance: amount });

/**
 * A portfolio's positions: after `subscribe`, and again after every change. Each message carries the whole
 * portfolio as of `asOf` (a client replaces its view, so a lost message is healed by the next one). A
 * portfolio too large for one 128 KB message is split into `parts` messages sharing `asOf`, numbered by
 * `part` from 1; each carries `totals`, `cash` and `baseCurrency`, the positions are divided between them.
 * Example: `{"type":"positions","portfolioId":"01J…","asOf":"2026-11-24T10:00:00.000Z","part":1,"parts":1,
 * "baseCurrency":"USD","positions":[…],"cash":[{"currency":"USD","balance":"8095.00"}],"totals":{…}}`.
 */
export const PositionsMessageSchema = z.strictObject({
  type: z.literal('positions'),
  portfolioId: IdSchema,
  asOf: TimestampSchema,
  part: z.int().check(z.gte(1), z.lte(MAX_MESSAGE_PARTS)),
  parts: z.int().check(z.gte(1), z.lte(MAX_MESSAGE_PARTS)),
  baseCurrency: CurrencySchema,
  positions: z.array(PositionSchema).check(z.maxLength(MAX_POSITIONS_PER_MESSAGE)),
  cash: z.array(CashBalanceMessageSchema).check(z.maxLength(MAX_POSITIONS_PER_MESSAGE)),
  totals: PositionsTotalsSchema,
  /** As in `GET …/positions`: the pairs of currencies some trades wait for a rate of (present only then). */
  waitingForRates: z.optional(
    z
      .array(z.strictObject({ from: CurrencySchema, to: CurrencySchema }))
      .check(z.maxLength(MAX_POSITIONS_PER_MESSAGE)),
  ),
});
export type PositionsMessage = z.infer<typeof PositionsMessageSchema>;

const JOB_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
const count = z.int().check(z.gte(0), z.lte(MAX_COUNT));

/**
 * Progress of a broker-file import, pushed to every open connection of the importing user (whatever it
 * subscribed to) each time the import's status or row count moves. `rowsRead` grows while RUNNING; the
 * final counts (`rows`, `imported`, `duplicates`, `skipped`, `errors` = number of row errors) arrive with
 * SUCCEEDED or FAILED; `GET …/imports/{importId}` has the errors themselves. Example:
 * `{"type":"import.progress","importId":"01J…","portfolioId":"01J…","status":"RUNNING","rowsRead":500,
 * "rows":0,"imported":0,"duplicates":0,"skipped":0,"errors":0,"updatedAt":"2026-11-24T10:00:01.000Z"}`.
 */
export const ImportProgressMessageSchema = z.strictObject({
  type: z.literal('import.progress'),
  portfolioId: IdSchema,
  importId: IdSchema,
  status: z.enum(JOB_STATUSES),
  rowsRead: count,
  rows: count,
  imported: count,
  duplicates: count,
  skipped: count,
  errors: count,
  /** When the import last changed: a client keeps the latest (a redelivered push may arrive late). */
  updatedAt: TimestampSchema,
});
export type ImportProgressMessage = z.infer<typeof ImportProgressMessageSchema>;

/**
 * Progress of an AutoML run, pushed to every open connection of its owner each time the run changes: model
 * family `completed` of `total` (`progress` = completed / total, 0 when total is 0), and the status. Example:
 * `{"type":"analysis.progress","analysisId":"01J…","status":"RUNNING","progress":0.4,"completed":4,"total":10,
 * "updatedAt":"2026-11-24T10:00:01.000Z"}`; `GET /analyses/{analysisId}` has the leaderboard.
 */
export const AnalysisProgressMessageSchema = z.strictObject({
  type: z.literal('analysis.progress'),
  analysisId: IdSchema,
  status: z.enum(JOB_STATUSES),
  progress: z.number().check(z.gte(0), z.lte(1)),
  completed: count,
  total: count,
  /** When the run last changed: a client keeps the latest (a redelivered push may arrive late). */
  updatedAt: TimestampSchema,
});
export type AnalysisProgressMessage = z.infer<typeof AnalysisProgressMessageSchema>;

/** A refused message. Example: `{"type":"error","code":"VALIDATION_FAILED","message":"Unknown action \"foo\""}`. */
export const ErrorMessageSchema = z.strictObject({
  type: z.literal('error'),
  code: ErrorCodeSchema,
  message: z.string().check(z.maxLength(500)),
  details: z.optional(
    z
      .array(
        z.strictObject({
          path: z.string().check(z.maxLength(200)),
          message: z.string().check(z.maxLength(500)),
        }),
      )
      .check(z.maxLength(20)),
  ),
  portfolioId: z.optional(IdSchema),
});
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;

/** Server → client messages, told apart by `type`. */
export const ServerMessageSchema = z.discriminatedUnion('type', [
  PositionsMessageSchema,
  ImportProgressMessageSchema,
  AnalysisProgressMessageSchema,
  PongMessageSchema,
  ErrorMessageSchema,
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

export class ServerMessageTooLargeError extends Error {
  override readonly name = 'ServerMessageTooLargeError';
  constructor(readonly bytes: number) {
    super(`Server message of ${bytes} bytes exceeds ${MAX_SERVER_MESSAGE_BYTES} bytes`);
  }
}

/** Validates a server message and encodes it; throws on a schema break or past API Gateway's size limit. */
export const encodeServerMessage = (message: ServerMessage): string => {
  const text = JSON.stringify(z.parse(ServerMessageSchema, message));
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SERVER_MESSAGE_BYTES) throw new ServerMessageTooLargeError(bytes);
  return text;
};

/** The `VALIDATION_FAILED` error message a client receives for a message the server will not act on. */
export const validationFailedMessage = (message: string, details: ErrorDetail[] = []): ErrorMessage => ({
  type: 'error',
  code: 'VALIDATION_FAILED',
  message,
  ...(details.length === 0 ? {} : { details: details.slice(0, 20) }),
});

export type ClientMessageParseResult =
  | { success: true; message: ClientMessage }
  | { success: false; error: ErrorMessage };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Echoed to the sender only, JSON-quoted and cut short so a client cannot inflate the reply.
const quoted = (text: string): string => JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);

const issuesToDetails = (issues: readonly z.core.$ZodIssue[]): ErrorDetail[] =>
  issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));

/** Parses one client frame strictly; a failure carries the error message to send back. */
export const parseClientMessage = (body: string | undefined | null): ClientMessageParseResult => {
  const fail = (message: string, details: ErrorDetail[] = []) =>
    ({ success: false, error: validationFailedMessage(message, details) }) as const;
  if (body === undefined || body === null || body === '')
    return fail('Message must be a JSON object with an "action"');
  if (Buffer.byteLength(body, 'utf8') > MAX_CLIENT_MESSAGE_BYTES) {
    return fail(`Message exceeds ${MAX_CLIENT_MESSAGE_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return fail('Message is not valid JSON');
  }
  const action = isRecord(json) ? json.action : undefined;
  if (typeof action !== 'string') return fail('Message must be a JSON object with an "action"');
  if (!(CLIENT_ACTIONS as readonly string[]).includes(action)) {
    return fail(`Unknown action ${quoted(action)}; actions are ${CLIENT_ACTIONS.join(', ')}`);
  }
  const result = z.safeParse(ClientMessageSchema, json);
  if (!result.success) return fail(`Invalid ${action} message`, issuesToDetails(result.error.issues));
  return { success: true, message: result.data };
};

const TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]{10,8192}$/;

/** The access token a client sends as `?token=<JWT>` when connecting; a missing or malformed one is a 401. */
export const connectionToken = (event: WebSocketEvent): string => {
  const token = event.queryStringParameters?.token;
  if (token === undefined || !TOKEN_PATTERN.test(token)) {
    throw new UnauthorizedError('A valid token query parameter is required');
  }
  return token;
};

/** The event of any WebSocket route; `$connect` also carries the query string. */
export type WebSocketEvent = APIGatewayProxyWebsocketEventV2;
/** On `$connect` a status outside 2xx refuses the connection; other routes' statuses are not sent on. */
export interface WebSocketResult {
  statusCode: number;
  body?: string;
}
export type WebSocketHandler = (event: WebSocketEvent, context: Context) => Promise<WebSocketResult>;

type WebSocketMiddleware = MiddlewareObj<WebSocketEvent, WebSocketResult, Error, Context>;

/** One log line per event: route and connection (the token in the query string is never logged). */
const webSocketAccessLog = (): WebSocketMiddleware =>
  accessLog('websocket event', (request) => ({
    route: request.event.requestContext?.routeKey,
    connectionId: request.event.requestContext?.connectionId,
  }));

/** HttpErrors keep their status (a 401 refuses a `$connect`); anything else is logged and a generic 500. */
const webSocketErrorMapper = (): WebSocketMiddleware => ({
  onError: (request) => {
    const { error } = request;
    if (error instanceof HttpError && error.statusCode < 500) {
      logger.info('websocket event refused', {
        code: error.code,
        reason: error.cause instanceof Error ? error.cause.message : undefined,
      });
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      request.response = { statusCode: error.statusCode, body: JSON.stringify(body) };
      return;
    }
    logger.error('websocket event failed', { error });
    const body: ErrorBody = { error: { code: 'INTERNAL', message: 'Internal error' } };
    request.response = { statusCode: 500, body: JSON.stringify(body) };
  },
});

/** Wraps a WebSocket route handler in the WebSocket stack: access log and error mapping. */
export const webSocketRoute = (handler: WebSocketHandler): WebSocketHandler =>
  middy<WebSocketEvent, WebSocketResult, Error, Context>(handler)
    .use(webSocketAccessLog())
    .use(webSocketErrorMapper()) as unknown as WebSocketHandler;
