import { ROUTES } from '@kupala/trade-model';
import { compiledHttpRoutes, packagedServices } from '../support/packaged-services';

// Every route but the contract's public ones carries API Gateway's Cognito JWT authorizer with a required scope
// (so AWS refuses ID tokens and forged tokens before any Lambda runs); the middleware verifies again.
const services = packagedServices();
const routes = compiledHttpRoutes(services);
const PUBLIC = new Set(ROUTES.filter((route) => !route.auth).map((route) => `${route.method} ${route.path}`));

const routeResource = (service: (typeof services)[number], key: string) =>
  Object.values(service.resources).find(
    (resource) => resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties?.RouteKey === key,
  )?.Properties ?? {};

describe('the API Gateway JWT authorizer guards every non-public HTTP route', () => {
  it('finds the routes, public ones included (guard against an empty sweep)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(PUBLIC).toEqual(new Set(['GET /health', 'GET /openapi.json']));
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (key, route) => {
    const properties = routeResource(route.service, key);
    if (PUBLIC.has(key)) {
      expect(properties.AuthorizationType ?? 'NONE').toBe('NONE');
      return;
    }
    expect(properties).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizationScopes: ['aws.cognito.signin.user.admin'],
    });
    expect(properties.AuthorizerId).toBeDefined();
  });

  it("the API's owner defines it on its own Cognito user pool and app client, and exports its id", () => {
    const trades = services.find((service) => service.name === 'trades');
    const authorizers = Object.entries(trades?.resources ?? {}).filter(
      ([, resource]) => resource.Type === 'AWS::ApiGatewayV2::Authorizer',
    );
    expect(authorizers).toHaveLength(1);
    const [id, authorizer] = authorizers[0] ?? ['', undefined];
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: 'CognitoUserPoolClient' }] },
    });
    expect(JSON.stringify(authorizer?.Properties?.JwtConfiguration)).toContain('"Ref":"CognitoUserPool"');
    expect(trades?.outputs.HttpApiAuthorizerId).toMatchObject({ Value: { Ref: id } });
    for (const service of services.filter((candidate) => candidate.name !== 'trades')) {
      for (const route of routes.filter((candidate) => candidate.service === service)) {
        if (PUBLIC.has(`${route.method} ${route.path}`)) continue;
        expect(
          JSON.stringify(routeResource(service, `${route.method} ${route.path}`).AuthorizerId),
        ).toContain('Fn::ImportValue');
      }
    }
  });
});
