import type { WebSocketEvent } from '@kupala/trade-model';

export interface WebSocketEventOptions {
  connectionId?: string;
  body?: string;
  query?: Record<string, string>;
}

const eventTypeOf = (routeKey: string): WebSocketEvent['requestContext']['eventType'] =>
  routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE';

/** An API Gateway WebSocket event for `routeKey`, as Lambda receives it. */
export const webSocketEvent = (routeKey: string, options: WebSocketEventOptions = {}): WebSocketEvent => {
  const now = Date.now();
  return {
    requestContext: {
      routeKey,
      eventType: eventTypeOf(routeKey),
      connectionId: options.connectionId ?? 'L0SM9cOFvHcCIhw=',
      messageId: 'messageId=',
      extendedRequestId: 'extendedRequestId=',
      requestTime: new Date(now).toUTCString(),
      messageDirection: 'IN',
      stage: 'test',
      connectedAt: now,
      requestTimeEpoch: now,
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      apiId: 'abc123',
    },
    isBase64Encoded: false,
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.query === undefined ? {} : { queryStringParameters: options.query }),
  };
};
