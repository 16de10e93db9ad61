import { packagedServices } from '../support/packaged-services';

// $connect is the only door of the WebSocket API (other routes ride on an accepted connection): it must be
// guarded by the authorizer Lambda that runs the same verifier as every HTTP route.
describe('the WebSocket $connect route carries the token authorizer', () => {
  const services = packagedServices().filter((service) =>
    Object.values(service.resources).some(
      (resource) =>
        resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties?.RouteKey === '$connect',
    ),
  );

  it('finds a WebSocket API (guard against an empty sweep)', () => {
    expect(services.map((service) => service.name)).toEqual(['positions']);
  });

  it.each(services.map((service) => [service.name, service] as const))(
    '%s: $connect -> REQUEST authorizer on ?token= -> authorizeConnect',
    (_name, service) => {
      const resources = service.resources;
      const connect = Object.values(resources).find(
        (resource) =>
          resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties?.RouteKey === '$connect',
      );
      expect(connect?.Properties?.AuthorizationType).toBe('CUSTOM');
      const authorizerId = (connect?.Properties?.AuthorizerId as { Ref: string } | undefined)?.Ref ?? '';
      const authorizer = resources[authorizerId];
      expect(authorizer?.Type).toBe('AWS::ApiGatewayV2::Authorizer');
      expect(authorizer?.Properties).toMatchObject({
        AuthorizerType: 'REQUEST',
        IdentitySource: ['route.request.querystring.token'],
      });
      const target = JSON.stringify(authorizer?.Properties?.AuthorizerUri).match(
        /"([A-Za-z0-9]+)LambdaFunction"/,
      )?.[1];
      const handler = Object.entries(service.functions).find(
        ([name]) => name.charAt(0).toUpperCase() + name.slice(1) === target,
      )?.[1].handler;
      expect(handler).toBe('src/functions/authorizeConnect/handler.main');
    },
  );
});
