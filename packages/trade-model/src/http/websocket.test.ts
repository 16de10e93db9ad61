import fc from 'fast-check';
import { lambdaContext } from '../testing';
import * as z from '../zod';
import { NotFoundError } from './errors';
import {
  ClientMessageSchema,
  connectionToken,
  ErrorMessageSchema,
  encodeServerMessage,
  MAX_CLIENT_MESSAGE_BYTES,
  parseClientMessage,
  type ServerMessageSchema,
  ServerMessageTooLargeError,
  type WebSocketEvent,
  webSocketRoute,
} from './websocket';

const PORTFOLIO_ID = '01JC9Z8Y7X6W5V4T3S2R1Q0P9N';

const event = (routeKey: string, extra: Partial<WebSocketEvent> = {}): WebSocketEvent => ({
  requestContext: {
    routeKey,
    eventType: routeKey === '$connect' ? 'CONNECT' : 'MESSAGE',
    connectionId: 'Abc123=',
    messageId: 'm',
    extendedRequestId: 'e',
    requestTime: 'now',
    messageDirection: 'IN',
    stage: 'test',
    connectedAt: 0,
    requestTimeEpoch: 0,
    requestId: 'r',
    domainName: 'localhost',
    apiId: 'api',
  },
  isBase64Encoded: false,
  ...extra,
});

describe('client messages', () => {
  it.each([
    ['{"action":"ping"}', { action: 'ping' }],
    [
      `{"action":"subscribe","portfolioId":"${PORTFOLIO_ID}"}`,
      { action: 'subscribe', portfolioId: PORTFOLIO_ID },
    ],
    [
      `{"action":"unsubscribe","portfolioId":"${PORTFOLIO_ID}"}`,
      { action: 'unsubscribe', portfolioId: PORTFOLIO_ID },
    ],
  ])('parses %s', (body, message) => {
    expect(parseClientMessage(body)).toEqual({ success: true, message });
  });

  it.each([
    ['invalid JSON', '{"action":"ping"', 'Message is not valid JSON', undefined],
    ['no action', '{"portfolioId":"x"}', 'Message must be a JSON object with an "action"', undefined],
    ['a bare string', '"ping"', 'Message must be a JSON object with an "action"', undefined],
    [
      'an unknown action',
      '{"action":"delete"}',
      'Unknown action "delete"; actions are subscribe, unsubscribe, ping',
      undefined,
    ],
    ['an unknown field', '{"action":"ping","owner":"x"}', 'Invalid ping message', ''],
    ['a missing portfolioId', '{"action":"subscribe"}', 'Invalid subscribe message', 'portfolioId'],
    [
      'a malformed portfolioId',
      '{"action":"unsubscribe","portfolioId":"abc"}',
      'Invalid unsubscribe message',
      'portfolioId',
    ],
  ])('refuses %s with VALIDATION_FAILED', (_case, body, message, detailPath) => {
    const result = parseClientMessage(body);

    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED', message });
    if (detailPath === undefined) expect(result.error.details).toBeUndefined();
    else expect(result.error.details?.map((detail) => detail.path)).toEqual([detailPath]);
  });

  it('refuses a message over the size limit without parsing it', () => {
    const body = JSON.stringify({ action: 'ping', pad: 'x'.repeat(MAX_CLIENT_MESSAGE_BYTES) });

    expect(parseClientMessage(body)).toEqual({
      success: false,
      error: {
        type: 'error',
        code: 'VALIDATION_FAILED',
        message: `Message exceeds ${MAX_CLIENT_MESSAGE_BYTES} bytes`,
      },
    });
  });

  it('quotes an unknown action and cuts it short in the reply', () => {
    const result = parseClientMessage(JSON.stringify({ action: `"${'a'.repeat(500)}` }));

    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.message).toBe(
      `Unknown action "\\"${'a'.repeat(63)}…"; actions are subscribe, unsubscribe, ping`,
    );
  });

  it('property: any frame either parses to a valid client message or yields a valid, bounded error message', () => {
    const frames = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc
        .record({
          action: fc.constantFrom('ping', 'subscribe', 'unsubscribe', 'other', ''),
          portfolioId: fc.option(fc.oneof(fc.constant(PORTFOLIO_ID), fc.string({ maxLength: 40 })), {
            nil: undefined,
          }),
          extra: fc.option(fc.anything({ maxDepth: 2 }), { nil: undefined }),
        })
        .map((message) => JSON.stringify(message)),
    );
    fc.assert(
      fc.property(frames, (frame) => {
        const result = parseClientMessage(frame);
        if (result.success) return z.safeParse(ClientMessageSchema, result.message).success;
        return (
          z.safeParse(ErrorMessageSchema, result.error).success &&
          encodeServerMessage(result.error).length < 16_384
        );
      }),
    );
  });
});

describe('server messages', () => {
  it('encodes a valid message as JSON', () => {
    expect(encodeServerMessage({ type: 'pong', time: '2026-11-24T10:00:00.000Z' })).toBe(
      '{"type":"pong","time":"2026-11-24T10:00:00.000Z"}',
    );
  });

  it('refuses to encode a message that breaks its schema', () => {
    const notAMessage = { type: 'pong', time: 'yesterday' } as unknown as z.infer<typeof ServerMessageSchema>;

    expect(() => encodeServerMessage(notAMessage)).toThrow();
  });

  it('refuses to encode past API Gateway’s 128 KB, however valid the message', () => {
    const position = {
      instrumentKey: 'EQUITY:AAPL:USD',
      instrument: { assetClass: 'EQUITY' as const, symbol: 'AAPL', currency: 'USD' },
      quantity: '10',
      averageCost: '150.25',
      costBasis: '1502.5',
      lastPrice: null,
      priceTime: null,
      marketValue: null,
      unrealizedPnl: null,
      realizedPnl: '0',
      dayPnl: null,
      currency: 'USD',
      costBasisBase: '1502.5',
      marketValueBase: null,
      unrealizedPnlBase: null,
      realizedPnlBase: '0',
      stale: true,
    };
    const snapshot = (count: number) => ({
      type: 'positions' as const,
      portfolioId: PORTFOLIO_ID,
      asOf: '2026-11-24T10:00:00.000Z',
      part: 1,
      parts: 1,
      baseCurrency: 'USD',
      cash: [],
      positions: Array.from({ length: count }, () => position),
      totals: {
        marketValue: null,
        costBasis: '0',
        unrealizedPnl: null,
        realizedPnl: '0',
        income: '0',
        dayPnl: null,
        netLiquidation: null,
      },
    });
    // One position encodes to ~430 bytes: 100 fit in 128 KB (131072 bytes), 1000 do not.
    expect(encodeServerMessage(snapshot(100)).length).toBeLessThan(131_072);
    expect(() => encodeServerMessage(snapshot(1000))).toThrow(ServerMessageTooLargeError);
  });
});

describe('connectionToken', () => {
  it('returns the ?token= value', () => {
    expect(connectionToken(event('$connect', { queryStringParameters: { token: 'aaaa.bbbb.cccc' } }))).toBe(
      'aaaa.bbbb.cccc',
    );
  });

  it.each([
    ['no query string', {}],
    ['no token', { queryStringParameters: { tok: 'aaaa.bbbb.cccc' } }],
    ['a token with spaces', { queryStringParameters: { token: 'aaaa bbbb cccc' } }],
    ['a too short token', { queryStringParameters: { token: 'a.b.c' } }],
  ])('throws a 401 error for %s', (_case, extra) => {
    expect(() => connectionToken(event('$connect', extra))).toThrow(
      expect.objectContaining({ statusCode: 401, code: 'UNAUTHORIZED' }),
    );
  });
});

describe('webSocketRoute', () => {
  it('passes a handler result through', async () => {
    const handler = webSocketRoute(async () => ({ statusCode: 200 }));

    await expect(handler(event('ping'), lambdaContext())).resolves.toEqual({ statusCode: 200 });
  });

  it('keeps a 4xx error’s status and code (a 401 refuses a $connect)', async () => {
    const handler = webSocketRoute(async (received) => {
      connectionToken(received);
      return { statusCode: 200 };
    });

    const result = await handler(event('$connect'), lambdaContext());

    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '')).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'A valid token query parameter is required' },
    });
  });

  it('maps anything else to a generic 500 that names no internals', async () => {
    const handler = webSocketRoute(async () => {
      throw new Error('arn:aws:dynamodb:eu-west-1:123456789012:table/kupala-test-connections is throttled');
    });

    const result = await handler(event('ping'), lambdaContext());

    expect(result).toEqual({
      statusCode: 500,
      body: JSON.stringify({ error: { code: 'INTERNAL', message: 'Internal error' } }),
    });
  });

  it('maps a 4xx HttpError other than 401 the same way', async () => {
    const handler = webSocketRoute(async () => {
      throw new NotFoundError('Portfolio');
    });

    await expect(handler(event('subscribe'), lambdaContext())).resolves.toMatchObject({ statusCode: 404 });
  });
});
