// Puts API Gateway's Cognito JWT authorizer, with a required scope, on every HTTP route of a service except the
// public ones, at package time. Every new route falls under it without a line in its serverless.yml, and our
// middleware still verifies each token (serverless-offline never checks signatures; this hook does not run
// offline). The scope is in every Cognito access token and in no ID token, so AWS refuses ID tokens at the door.
//
// The service that owns the HTTP API (trades: no `provider.httpApi.id`) defines the authorizer on its Cognito user
// pool and app client and exports its id; services that join the API use that export.

/** The contract's public routes (auth: false); tests/security/http-authorizer.infra.test.ts keeps them in step with the contract. */
const PUBLIC_ROUTES = new Set(['GET /health', 'GET /openapi.json']);
const AUTHORIZER_NAME = 'cognito';
const REQUIRED_SCOPES = ['aws.cognito.signin.user.admin'];
const OUTPUT = 'HttpApiAuthorizerId';

const exportName = (stage) => `kupala-${stage}-http-api-authorizer-id`;

const routeKeyOf = (httpApi) => {
  if (typeof httpApi === 'string') return httpApi.replace(/\s+/, ' ');
  return `${String(httpApi.method).toUpperCase()} ${httpApi.path}`;
};

class HttpApiAuthorizerPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:compileEvents': () => this.attach(),
      'after:package:compileEvents': () => this.exportAuthorizer(),
    };
  }

  ownsApi() {
    return this.serverless.service.provider.httpApi?.id === undefined;
  }

  attach() {
    const { service } = this.serverless;
    const stage = service.provider.stage;
    const owns = this.ownsApi();
    let guarded = 0;
    for (const fn of Object.values(service.functions ?? {})) {
      fn.events = (fn.events ?? []).map((event) => {
        if (event.httpApi === undefined || PUBLIC_ROUTES.has(routeKeyOf(event.httpApi))) return event;
        const httpApi =
          typeof event.httpApi === 'string'
            ? { method: event.httpApi.split(/\s+/)[0], path: event.httpApi.split(/\s+/)[1] }
            : { ...event.httpApi };
        httpApi.authorizer = owns
          ? { name: AUTHORIZER_NAME, scopes: REQUIRED_SCOPES }
          : { id: { 'Fn::ImportValue': exportName(stage) }, scopes: REQUIRED_SCOPES };
        guarded += 1;
        return { ...event, httpApi };
      });
    }
    if (owns && guarded > 0) {
      service.provider.httpApi = {
        ...service.provider.httpApi,
        authorizers: {
          ...service.provider.httpApi?.authorizers,
          [AUTHORIZER_NAME]: {
            type: 'jwt',
            identitySource: '$request.header.Authorization',
            issuerUrl: {
              'Fn::Join': [
                '',
                [
                  'https://cognito-idp.',
                  { Ref: 'AWS::Region' },
                  '.amazonaws.com/',
                  { Ref: 'CognitoUserPool' },
                ],
              ],
            },
            audience: [{ Ref: 'CognitoUserPoolClient' }],
          },
        },
      };
    }
  }

  exportAuthorizer() {
    if (!this.ownsApi()) return;
    const template = this.serverless.service.provider.compiledCloudFormationTemplate;
    const logicalId = this.serverless
      .getProvider('aws')
      .naming.getHttpApiAuthorizerLogicalId(AUTHORIZER_NAME);
    if (template.Resources[logicalId] === undefined) return;
    template.Outputs = {
      ...template.Outputs,
      [OUTPUT]: {
        Description:
          'The Cognito JWT authorizer of the shared HTTP API (services joining it use this export)',
        Value: { Ref: logicalId },
        Export: { Name: exportName(this.serverless.service.provider.stage) },
      },
    };
  }
}

module.exports = HttpApiAuthorizerPlugin;
