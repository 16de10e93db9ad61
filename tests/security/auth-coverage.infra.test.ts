import { ROUTES } from '@kupala/trade-model';
import { httpEvent, lambdaContext, useTestIssuer } from '@kupala/trade-model/testing';
import { compiledHttpRoutes } from '../support/packaged-services';

// The only routes the contract leaves open.
const PUBLIC_ROUTES = new Set(['GET /health', 'GET /openapi.json']);
const routes = compiledHttpRoutes();

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;
const loadHandler = async (route: (typeof routes)[number]): Promise<Handler> =>
  (await import(route.handlerModule))[route.handlerExport] as Handler;

let expiredToken: string;
let foreignToken: string;

beforeAll(async () => {
  const issuer = await useTestIssuer();
  const sub = '00000000-0000-0000-0000-000000000001';
  expiredToken = await issuer.sign(sub, {}, { expiresIn: -600 });
  foreignToken = await issuer.sign(sub, {}, { key: issuer.strangerKey });
});

describe('every HTTP route in the compiled templates refuses a request without a valid token', () => {
  it('finds the routes (guard against an empty sweep)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(9);
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([...PUBLIC_ROUTES]),
    );
  });

  const protectedRoutes = routes.filter((route) => !PUBLIC_ROUTES.has(`${route.method} ${route.path}`));
  it.each(
    protectedRoutes.map((route) => [
      `${route.method} ${route.path} (${route.service.name}/${route.functionName})`,
      route,
    ]),
  )('%s', async (_name, route) => {
    const handler = await loadHandler(route);
    const pathParameters = Object.fromEntries(
      [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => [match[1] ?? '', '01J00000000000000000000000']),
    );
    const concretePath = route.path.replace(/\{(\w+)\}/g, '01J00000000000000000000000');
    for (const token of [undefined, 'not-a-jwt', expiredToken, foreignToken]) {
      const event = httpEvent({
        method: route.method,
        path: concretePath,
        routePath: route.path,
        pathParameters,
        ...(token === undefined ? {} : { token }),
        ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { body: {} } : {}),
      });
      const response = await handler(event, lambdaContext(route.functionName));
      expect({ token: token?.slice(0, 12), status: response.statusCode }).toEqual({
        token: token?.slice(0, 12),
        status: 401,
      });
      expect(JSON.parse(response.body ?? '{}')).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
  });

  it.each([...PUBLIC_ROUTES])('%s answers without a token', async (routeKey) => {
    const route = routes.find((candidate) => `${candidate.method} ${candidate.path}` === routeKey);
    if (route === undefined) throw new Error(`${routeKey} is not in the templates`);
    const handler = await loadHandler(route);
    const response = await handler(httpEvent({ method: route.method, path: route.path }), lambdaContext());
    expect(response.statusCode).toBe(200);
  });
});

describe('the OpenAPI contract documents exactly what is deployed', () => {
  it('lists every compiled HTTP route, and every documented route is deployed', () => {
    const compiled = routes.map((route) => `${route.method} ${route.path}`).sort();
    const documented = ROUTES.map((route) => `${route.method} ${route.path}`).sort();
    expect(documented).toEqual(compiled);
  });

  it('deploys public routes exactly where the contract says auth is not needed', () => {
    const publicInContract = ROUTES.filter((route) => !route.auth).map(
      (route) => `${route.method} ${route.path}`,
    );
    expect(publicInContract.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });
});
