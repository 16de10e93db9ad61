import { PACKAGED_STAGE, packagedServices } from '../support/packaged-services';

const services = packagedServices();
const ofType = (type: string) =>
  services.flatMap((service) =>
    Object.entries(service.resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => ({
        service: service.name,
        logicalId,
        properties: resource.Properties ?? {},
        resource,
      })),
  );

describe('compiled CloudFormation of every service (serverless package, no AWS credentials)', () => {
  it('packages all four services', () => {
    expect(services.map((service) => service.name)).toEqual([
      'trades',
      'positions',
      'market-data',
      'ml-analysis',
    ]);
  });

  const functions = ofType('AWS::Lambda::Function');

  it('gives every service at least one function', () => {
    for (const service of services) {
      expect(functions.filter((fn) => fn.service === service.name).length).toBeGreaterThan(0);
    }
  });

  it.each(functions.map((fn) => [`${fn.service}/${fn.logicalId}`, fn]))(
    '%s runs nodejs22.x on arm64, named with the stage',
    (_name, fn) => {
      expect(fn.properties.Runtime).toBe('nodejs22.x');
      expect(fn.properties.Architectures).toEqual(['arm64']);
      expect(String(fn.properties.FunctionName)).toContain(`-${PACKAGED_STAGE}-`);
    },
  );

  /** Asynchronously invoked functions that may drop an event after their retries, and why that is safe. */
  const ASYNC_WITHOUT_DESTINATION: Record<string, string> = {
    'market-data/FollowHeldSymbolsLambdaFunction':
      'best effort by design: the next night names every held instrument again',
  };

  it('hands what an asynchronous function gives up on to a destination (a run or upload never stays pending)', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map((config) => {
      const fn = (config.properties.FunctionName as { Ref?: string }).Ref;
      const destination = (
        config.properties.DestinationConfig as { OnFailure?: { Destination?: { 'Fn::GetAtt'?: string[] } } }
      )?.OnFailure?.Destination?.['Fn::GetAtt']?.[0];
      return { fn: `${config.service}/${fn}`, retries: config.properties.MaximumRetryAttempts, destination };
    });
    expect(configs.map(({ fn, retries, destination }) => [fn, retries, destination])).toEqual(
      expect.arrayContaining([
        ['positions/BuildEodLambdaFunction', 2, 'EodBatchFailures'],
        ['ml-analysis/ProfileDatasetUploadLambdaFunction', 2, 'AbandonDatasetUploadLambdaFunction'],
        ['ml-analysis/RunAnalysisLambdaFunction', 2, 'AbandonAnalysisJobLambdaFunction'],
      ]),
    );
    expect(
      configs.filter(
        ({ fn, destination }) => destination === undefined && ASYNC_WITHOUT_DESTINATION[fn] === undefined,
      ),
    ).toEqual([]);
  });

  it('lets a role invoke only functions that exist by that name (cross-service names are fixed per stage)', () => {
    const names = new Set(functions.map((fn) => String(fn.properties.FunctionName)));
    const invoked = ofType('AWS::IAM::Role').flatMap((role) =>
      [...JSON.stringify(role.properties.Policies ?? []).matchAll(/:function:(kupala-[A-Za-z0-9-]+)/g)].map(
        (match) => ({ role: `${role.service}/${role.logicalId}`, name: match[1] as string }),
      ),
    );
    // positions hands held instruments to market-data (applyTradeEvents, buildEod, a catch-up in revaluePositions);
    // ml-analysis and positions hand work to their own workers
    expect(
      invoked
        .filter(({ name }) => name.endsWith('-followHeldSymbols'))
        .map(({ role }) => role)
        .sort(),
    ).toEqual([
      'positions/ApplyTradeEventsIamRoleLambdaExecution',
      'positions/BuildEodIamRoleLambdaExecution',
      'positions/RevaluePositionsIamRoleLambdaExecution',
    ]);
    expect(invoked.filter(({ name }) => !names.has(name))).toEqual([]);
  });

  it('gives every function that touches data its own IAM role; the shared default role grants only logs and tracing', () => {
    const sharedRole = (fn: (typeof functions)[number]) =>
      JSON.stringify(fn.properties.Role).includes('"IamRoleLambdaExecution"');
    const ownRoles = functions
      .filter((fn) => !sharedRole(fn))
      .map((fn) => JSON.stringify(fn.properties.Role));
    expect(new Set(ownRoles).size).toBe(ownRoles.length);
    // osls always creates a default role (with @connections rights when a service has WebSocket events);
    // what matters is the default role of any service where a function actually runs with it
    const servicesUsingDefault = new Set(functions.filter(sharedRole).map((fn) => fn.service));
    const defaultRoles = ofType('AWS::IAM::Role').filter(
      (candidate) =>
        candidate.logicalId === 'IamRoleLambdaExecution' && servicesUsingDefault.has(candidate.service),
    );
    for (const role of defaultRoles) {
      const actions = JSON.stringify(role.properties.Policies ?? []).match(/"[a-z0-9-]+:[A-Za-z*]+"/g) ?? [];
      expect(actions.filter((action) => !/^"(logs|xray):/.test(action))).toEqual([]);
    }
  });

  it('never grants wildcard actions, and DynamoDB/S3 access only on named resources', () => {
    for (const role of ofType('AWS::IAM::Role')) {
      const policies = (role.properties.Policies ?? []) as {
        PolicyDocument: { Statement: Record<string, unknown>[] };
      }[];
      for (const statement of policies.flatMap((policy) => policy.PolicyDocument.Statement)) {
        const actions = [statement.Action].flat() as string[];
        expect(actions.some((action) => action === '*' || action.endsWith(':*'))).toBe(false);
        if (actions.some((action) => /^(dynamodb|s3):/.test(action))) {
          expect([statement.Resource].flat()).not.toContain('*');
        }
      }
    }
  });

  const tables = ofType('AWS::DynamoDB::Table');

  it.each(tables.map((table) => [`${table.service}/${table.logicalId}`, table]))(
    '%s has PITR, encryption, on-demand billing and the stage in its name',
    (_name, table) => {
      expect(table.properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.properties.SSESpecification).toEqual({ SSEEnabled: true });
      expect(table.properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(String(table.properties.TableName)).toMatch(new RegExp(`^kupala-${PACKAGED_STAGE}-`));
    },
  );

  it('streams old and new images where the architecture needs them (trades, market data, positions)', () => {
    const streamOf = (service: string, logicalId: string) =>
      tables.find((table) => table.service === service && table.logicalId === logicalId)?.properties
        .StreamSpecification;
    for (const [service, logicalId] of [
      ['trades', 'TradesTable'],
      ['market-data', 'MarketDataTable'],
      ['positions', 'PositionsTable'],
    ] as const) {
      expect(streamOf(service, logicalId)).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    }
  });

  it('keeps buckets private, encrypted, TLS-only and named with the stage', () => {
    const buckets = ofType('AWS::S3::Bucket');
    expect(buckets.length).toBeGreaterThan(0);
    for (const bucket of buckets) {
      // the framework's own deployment bucket gets a generated name; ours carry the stage
      if (bucket.logicalId !== 'ServerlessDeploymentBucket') {
        expect(JSON.stringify(bucket.properties.BucketName)).toContain(`kupala-${PACKAGED_STAGE}-`);
      }
      expect(bucket.properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(JSON.stringify(bucket.properties.BucketEncryption)).toContain('SSEAlgorithm');
      const policy = ofType('AWS::S3::BucketPolicy').find(
        (candidate) =>
          JSON.stringify(candidate.properties.Bucket) === JSON.stringify({ Ref: bucket.logicalId }),
      );
      expect(JSON.stringify(policy?.properties.PolicyDocument)).toMatch(/"aws:SecureTransport":"?false"?/);
    }
  });

  it('retains stateful resources when a stack is deleted', () => {
    for (const table of tables.filter((candidate) => !/Connections/.test(candidate.logicalId))) {
      expect(table.resource.DeletionPolicy).toBe('Retain');
    }
  });

  it('has one HTTP API: trades creates it, the other services attach to it through a param', () => {
    const apis = ofType('AWS::ApiGatewayV2::Api').filter((api) => api.properties.ProtocolType === 'HTTP');
    expect(apis.map((api) => api.service)).toEqual(['trades']);
    const trades = services.find((service) => service.name === 'trades');
    expect(Object.keys(trades?.outputs ?? {})).toEqual(
      expect.arrayContaining(['HttpApiId', 'UserPoolId', 'UserPoolClientId']),
    );
    const httpRoutes = ofType('AWS::ApiGatewayV2::Route').filter((route) =>
      /^[A-Z]+ \//.test(String(route.properties.RouteKey)),
    );
    for (const route of httpRoutes.filter((route) => route.service !== 'trades')) {
      expect(route.properties.ApiId).toBe('set-by-compose');
    }
  });
  it("signs the web client in on trades' hosted UI: code flow (PKCE, no secret) back to the site's origin only", () => {
    const [client] = ofType('AWS::Cognito::UserPoolClient');
    expect(client?.service).toBe('trades');
    expect(client?.properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      // no implicit flow, no client credentials: a token only for a code and its PKCE verifier
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
      SupportedIdentityProviders: ['COGNITO'],
      // the stage's webUrl param (unset here: a placeholder that can never receive a code)
      CallbackURLs: ['https://web-url-not-set.invalid/'],
      LogoutURLs: ['https://web-url-not-set.invalid/'],
    });
    const [domain] = ofType('AWS::Cognito::UserPoolDomain');
    expect(domain?.properties.UserPoolId).toEqual({ Ref: 'CognitoUserPool' });
    const trades = services.find((service) => service.name === 'trades');
    expect(Object.keys(trades?.outputs ?? {})).toContain('CognitoDomain');
  });
});
