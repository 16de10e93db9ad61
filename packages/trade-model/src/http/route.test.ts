import {
  hmacWithPublicKeyToken,
  httpEvent,
  invoke,
  lambdaContext,
  type SignOptions,
  type TestIssuer,
  tamperedToken,
  unsignedToken,
  useTestIssuer,
} from '../testing';
import * as z from '../zod';
import { buildAccessTokenVerifier } from './auth';
import { NotFoundError } from './errors';
import { defineRoute, httpRoute } from './route';

const echoRoute = defineRoute({
  operationId: 'echo',
  method: 'POST',
  path: '/things/{thingId}',
  summary: 'echo',
  tag: 'Test',
  auth: true,
  params: z.strictObject({ thingId: z.string().check(z.regex(/^[a-z]{3}$/)) }),
  body: z.strictObject({ name: z.string().check(z.maxLength(5)), count: z.optional(z.number()) }),
  successStatus: 201,
  maxBodyBytes: 200,
});

const SUB = '11111111-2222-3333-4444-555555555555';
let issuer: TestIssuer;
const sign = (claims: Record<string, unknown>, options: SignOptions = {}) =>
  issuer.sign(SUB, claims, options);

beforeAll(async () => {
  issuer = await useTestIssuer();
});

const handlerSeeing = (seen: unknown[]) =>
  httpRoute(
    echoRoute,
    async (input) => {
      seen.push(input);
      return {
        statusCode: 201,
        body: { thingId: input.params.thingId, name: input.body.name, sub: input.user.sub },
      };
    },
    { verifier: buildAccessTokenVerifier() },
  );

const request = (token: string | undefined, body: unknown = { name: 'abc' }) => ({
  method: 'POST',
  path: '/things/abc',
  routePath: '/things/{thingId}',
  pathParameters: { thingId: 'abc' },
  ...(token === undefined ? {} : { token }),
  body,
});

describe('httpRoute authentication (aws-jwt-verify with preloaded local keys)', () => {
  it('accepts a valid access token and hands the handler the token subject', async () => {
    const seen: unknown[] = [];
    const response = await invoke(handlerSeeing(seen), request(await sign({})));
    expect(response.statusCode).toBe(201);
    expect(response.body).toEqual({
      thingId: 'abc',
      name: 'abc',
      sub: SUB,
    });
    expect(seen).toHaveLength(1);
  });

  it.each([
    ['no Authorization header', async () => undefined],
    ['a token signed by another key', async () => sign({}, { key: issuer.strangerKey })],
    ['an expired token', async () => sign({}, { expiresIn: -120 })],
    ['a token without exp', async () => sign({}, { expiresIn: null })],
    ['a token from another issuer', async () => sign({}, { issuer: 'https://evil.example' })],
    ['an id token instead of an access token', async () => sign({ token_use: 'id' })],
    ['an alg:none token', async () => unsignedToken(SUB)],
    ['a tampered payload', async () => tamperedToken(await sign({}), 'someone-else')],
    ['an HS256 token signed with the public key', async () => hmacWithPublicKeyToken(issuer.publicJwk, SUB)],
    ['a token for another app client', async () => sign({}, { audience: 'another-client' })],
    ['a token that is not valid yet (nbf)', async () => sign({}, { notBefore: 600 })],
    ['a token with an unknown key id', async () => sign({}, { kid: 'rotated-away' })],
    ['a token whose sub is not usable', async () => issuer.sign('../../etc', {})],
    ['a token with a huge payload', async () => sign({ padding: 'x'.repeat(6000) })],
    ['garbage in the bearer', async () => 'not.a.jwt'],
  ])('refuses %s with 401 and never runs the handler', async (_case, makeToken) => {
    const seen: unknown[] = [];
    const response = await invoke(handlerSeeing(seen), request(await makeToken()));
    expect(response.statusCode).toBe(401);
    expect(response.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(seen).toHaveLength(0);
  });

  it('checks the token before looking at the body (401, not 400, for an anonymous bad body)', async () => {
    const response = await invoke(handlerSeeing([]), { ...request(undefined), rawBody: '{not json' });
    expect(response.statusCode).toBe(401);
  });
});

describe('httpRoute request handling', () => {
  let token: string;
  beforeAll(async () => {
    token = await sign({});
  });

  it('answers 413 for a body over the route limit, without running the handler', async () => {
    const seen: unknown[] = [];
    const response = await invoke(handlerSeeing(seen), request(token, { name: 'a'.repeat(300) }));
    expect(response.statusCode).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(seen).toHaveLength(0);
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await invoke(handlerSeeing([]), { ...request(token), rawBody: '{"name":' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: 'Request body is not valid JSON' },
    });
  });

  it.each([
    ['0', '0'],
    ['false', 'false'],
    ['0.0', '0.0'],
    ['a JSON string', '"abc"'],
    ['an empty JSON string', '""'],
    ['null', 'null'],
    ['an array', '[]'],
    ['true', 'true'],
  ])('answers a clean 400 (not "not valid JSON") for the top-level JSON value %s', async (_case, rawBody) => {
    const seen: unknown[] = [];
    const response = await invoke(handlerSeeing(seen), { ...request(token), rawBody });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: 'Request is invalid' },
    });
    expect(seen).toHaveLength(0);
  });

  it('answers 400, not 500, when the body reaches the function as something other than text', async () => {
    const event = httpEvent({ ...request(token), rawBody: '0' }) as unknown as Record<string, unknown>;
    const response = await handlerSeeing([])({ ...event, body: 0 } as never, lambdaContext());
    expect(response.statusCode).toBe(400);
  });

  it('quotes an unknown key only up to a short bound in its error', async () => {
    const huge = 'k'.repeat(150_000);
    const handler = httpRoute(
      { ...echoRoute, maxBodyBytes: 1024 * 1024 },
      async () => ({ statusCode: 201 }),
      { verifier: buildAccessTokenVerifier() },
    );
    const response = await invoke(
      handler,
      request(token, { name: 'abc', [huge]: 1, [`${huge}2`]: { [huge]: 1 } }),
    );
    expect(response.statusCode).toBe(400);
    const text = JSON.stringify(response.body);
    // two keys quoted at 64 characters plus their lengths: far below one key
    expect(text.length).toBeLessThan(1000);
    expect(text).toContain('k'.repeat(64));
    expect(text).not.toContain('k'.repeat(65));
  });

  it('lists at most 20 details however many fields are wrong', async () => {
    const handler = httpRoute(
      {
        ...echoRoute,
        body: z.strictObject({ items: z.array(z.strictObject({ n: z.number() })) }),
        maxBodyBytes: 1024 * 1024,
      },
      async () => ({ statusCode: 201 }),
      { verifier: buildAccessTokenVerifier() },
    );
    const items = Array.from({ length: 100 }, () => ({ n: 'x' }));
    const response = await invoke(handler, request(token, { items }));
    expect(response.statusCode).toBe(400);
    expect((response.body as { error: { details: unknown[] } }).error.details).toHaveLength(20);
  });

  it('answers 415 for a non-JSON media type', async () => {
    const response = await invoke(handlerSeeing([]), {
      ...request(token),
      rawBody: 'name=abc',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(415);
  });

  it('lists every invalid field with its path, including unknown fields and bad path parameters', async () => {
    const seen: unknown[] = [];
    const response = await invoke(handlerSeeing(seen), {
      ...request(token, { name: 'too-long', owner: 'someone' }),
      path: '/things/ABCD',
      pathParameters: { thingId: 'ABCD' },
    });
    expect(response.statusCode).toBe(400);
    const details = (response.body as { error: { details: { path: string }[] } }).error.details;
    expect(details.map((detail) => detail.path).sort()).toEqual(['', 'name', 'path.thingId']);
    expect(JSON.stringify(details)).toContain('owner');
    expect(seen).toHaveLength(0);
  });

  it('requires a body where the route has one', async () => {
    const response = await invoke(handlerSeeing([]), { ...request(token), body: undefined });
    expect(response.statusCode).toBe(400);
  });

  it('maps a thrown 4xx error to its code and message', async () => {
    const handler = httpRoute(
      echoRoute,
      async () => {
        throw new NotFoundError('Thing');
      },
      { verifier: buildAccessTokenVerifier() },
    );
    const response = await invoke(handler, request(token));
    expect(response).toMatchObject({
      statusCode: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Thing not found' } },
    });
  });

  it('hides internals of an unexpected error behind a generic 500', async () => {
    const handler = httpRoute(
      echoRoute,
      async () => {
        throw new Error(
          'ResourceNotFoundException: table arn:aws:dynamodb:eu-west-1:1234:table/kupala-prod-trades',
        );
      },
      { verifier: buildAccessTokenVerifier() },
    );
    const response = await invoke(handler, request(token));
    expect(response.statusCode).toBe(500);
    expect(response.body).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
    expect(JSON.stringify(response.body)).not.toMatch(/arn|table|kupala-prod|stack/i);
  });

  it('sets JSON, no-store and nosniff headers on success and on error', async () => {
    const ok = await invoke(handlerSeeing([]), request(token));
    const refused = await invoke(handlerSeeing([]), request(undefined));
    for (const response of [ok, refused]) {
      expect(response.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
    }
  });
});
