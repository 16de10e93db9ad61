import type { APIGatewayProxyEventV2, Context, S3Event } from 'aws-lambda';

export interface TestRequest {
  method: string;
  path: string;
  routePath?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  token?: string;
  body?: unknown;
  rawBody?: string;
}

/** An API Gateway HTTP API (payload 2.0) event, as Lambda receives it. */
export const httpEvent = (request: TestRequest): APIGatewayProxyEventV2 => {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
  const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  if (body !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  const query = request.query ?? {};
  return {
    version: '2.0',
    routeKey: `${request.method} ${request.routePath ?? request.path}`,
    rawPath: request.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(request.pathParameters === undefined ? {} : { pathParameters: request.pathParameters }),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'jest',
      },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: `${request.method} ${request.routePath ?? request.path}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
};

/** A Lambda context good enough for handlers under test. */
export const lambdaContext = (functionName = 'test'): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
  memoryLimitInMB: '512',
  awsRequestId: `aws-${Math.random().toString(36).slice(2)}`,
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

export interface ParsedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Runs a handler and parses its JSON body. */
export const invoke = async (
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>,
  request: TestRequest,
): Promise<ParsedResponse> => {
  const result = (await handler(httpEvent(request), lambdaContext())) as {
    statusCode: number;
    headers?: Record<string, string>;
    body?: string;
  };
  return {
    statusCode: result.statusCode,
    headers: result.headers ?? {},
    body: result.body === undefined || result.body === '' ? undefined : JSON.parse(result.body),
  };
};
export * from './idempotency';
export * from './issuer';

/** An S3 ObjectCreated event as S3 sends it (the key URL-encoded). */
export const objectCreatedEvent = (bucket: string, key: string): S3Event =>
  ({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-24T10:00:00.000Z',
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 1 },
        },
      },
    ],
  }) as unknown as S3Event;

/** The `sub` a JWT carries (the owner every key starts with), read without verifying it. */
export const subOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string }).sub;
