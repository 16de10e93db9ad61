import {
  type PolicyStatement,
  referencedId,
  renderCfn,
  resourcesOfType,
  roleStatements,
} from '../support/cfn-expressions';
import { PACKAGE_DIRS, packagedServices } from '../support/packaged-services';

// the CloudFormation expression osls puts on each role (config/serverless/shared.yml), not a JS template
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
const BOUNDARY_SUB = 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/kupala-function-boundary';

// Issue #8 item 4, read from the compiled CloudFormation of every service (both the `test` package and the
// deployable `prod` package), so that a function, role or permission another change adds falls under it unchanged.

/** The only actions that may name `Resource: "*"`, each with the reason it cannot be scoped. */
const RESOURCE_STAR_ALLOWED: Record<string, string> = {
  'xray:PutTraceSegments': 'X-Ray defines no resource types: the action cannot be scoped to an ARN',
  'xray:PutTelemetryRecords': 'X-Ray defines no resource types: the action cannot be scoped to an ARN',
};

const STREAM_ACTIONS = new Set([
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:DescribeStream',
  'dynamodb:ListStreams',
]);

const PSEUDO = String.raw`arn:\$\{AWS::Partition\}:SERVICE:\$\{AWS::Region\}:\$\{AWS::AccountId\}:`;
const arnPrefix = (service: string) => PSEUDO.replace('SERVICE', service);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const stage of Object.keys(PACKAGE_DIRS) as (keyof typeof PACKAGE_DIRS)[]) {
  const services = packagedServices(stage);
  const functions = resourcesOfType(services, 'AWS::Lambda::Function');
  const roles = resourcesOfType(services, 'AWS::IAM::Role');

  /** The shapes a resource may take for an action of each AWS service, given the stack it is in. */
  const allowedResource = (
    action: string,
    resource: string,
    service: string,
    functionName: string,
  ): boolean => {
    const resources = services.find((candidate) => candidate.name === service)?.resources ?? {};
    const typeOf = (text: string) => resources[text.match(/^\$\{([A-Za-z0-9]+)\./)?.[1] ?? '']?.Type;
    const [prefix] = action.split(':');
    switch (prefix) {
      case 'dynamodb': {
        const table = new RegExp(
          `^(\\$\\{[A-Za-z0-9]+\\.(Arn|StreamArn)\\}|${arnPrefix('dynamodb')}table/kupala-${stage}-[a-z-]+|arn:aws:dynamodb:[a-z0-9-]+:\\d{12}:table/kupala-${stage}-[a-z-]+)(/index/[A-Za-z0-9_.-]+|/stream/[A-Za-z0-9:._-]+)?$`,
        );
        if (!table.test(resource)) return false;
        if (resource.startsWith('${') && typeOf(resource) !== 'AWS::DynamoDB::Table') return false;
        const isStream = /StreamArn\}|\/stream\//.test(resource);
        return STREAM_ACTIONS.has(action) === isStream;
      }
      case 's3':
        return (
          new RegExp(
            `^(\\$\\{[A-Za-z0-9]+\\.Arn\\}|arn:\\$\\{AWS::Partition\\}:s3:::kupala-${stage}-[a-z-]+-\\$\\{AWS::AccountId\\})(/[a-z0-9/_-]*\\*?)?$`,
          ).test(resource) &&
          (!resource.startsWith('${') || typeOf(resource) === 'AWS::S3::Bucket')
        );
      case 'logs':
        // the function's own log group and its streams, nothing else
        return new RegExp(
          `^${arnPrefix('logs')}log-group:/aws/lambda/${escapeRegExp(functionName)}:\\*(:\\*)?$`,
        ).test(resource);
      case 'execute-api':
        return new RegExp(
          `^${arnPrefix('execute-api')}\\$\\{WebsocketsApi\\}/${stage}/POST/@connections/\\*$`,
        ).test(resource);
      case 'sqs':
        return /^\$\{[A-Za-z0-9]+\.Arn\}$/.test(resource) && typeOf(resource) === 'AWS::SQS::Queue';
      case 'sns':
        return (
          /^\$\{[A-Za-z0-9]+\}$/.test(resource) &&
          resources[resource.slice(2, -1)]?.Type === 'AWS::SNS::Topic'
        );
      case 'kms':
        return /^\$\{[A-Za-z0-9]+\.Arn\}$/.test(resource) && typeOf(resource) === 'AWS::KMS::Key';
      case 'lambda':
        return (
          new RegExp(`^${arnPrefix('lambda')}function:kupala-[a-z-]+-${stage}-[A-Za-z0-9]+$`).test(
            resource,
          ) ||
          (/^\$\{[A-Za-z0-9]+\.Arn\}$/.test(resource) && typeOf(resource) === 'AWS::Lambda::Function')
        );
      case 'xray':
        return resource === '*';
      default:
        // a new AWS service in a role: add its exact ARN shape here first
        return false;
    }
  };

  describe(`least privilege in the compiled templates (${stage} stage)`, () => {
    it('finds functions and roles in every service (guard against an empty sweep)', () => {
      for (const service of services) {
        expect(functions.filter((fn) => fn.service === service.name).length).toBeGreaterThan(0);
        expect(roles.filter((role) => role.service === service.name).length).toBeGreaterThan(0);
      }
    });

    it('runs every function with a role of its own, and leaves no role unused', () => {
      const roleOf = functions.map((fn) => `${fn.service}/${referencedId(fn.properties.Role)}`);
      expect(roleOf.filter((role) => role.endsWith('/IamRoleLambdaExecution'))).toEqual([]);
      expect(new Set(roleOf).size).toBe(functions.length);
      for (const role of roles) {
        expect({
          role: `${role.service}/${role.logicalId}`,
          used: roleOf.includes(`${role.service}/${role.logicalId}`),
        }).toEqual({ role: `${role.service}/${role.logicalId}`, used: true });
      }
    });

    it('lets only Lambda assume a function role, with no managed policies attached, under the function boundary', () => {
      for (const role of roles) {
        const trust = role.properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] };
        expect(trust.Statement).toEqual([
          { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
        ]);
        expect(role.properties.ManagedPolicyArns ?? []).toEqual([]);
        // the boundary deploy/gitlab-oidc.yml creates (its contents are tested in tests/security/gitlab-oidc.infra.test.ts)
        expect(role.properties.PermissionsBoundary).toEqual({
          'Fn::Sub': BOUNDARY_SUB,
        });
      }
    });

    it('grants no wildcard action, no NotAction/NotResource, and never Deny-less escapes', () => {
      const statements = [
        ...roles.flatMap(roleStatements),
        ...resourcesOfType(services, 'AWS::IAM::Policy').flatMap(
          (policy) => (policy.properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement,
        ),
      ];
      expect(statements.length).toBeGreaterThan(functions.length);
      for (const statement of statements) {
        expect(statement.NotAction).toBeUndefined();
        expect(statement.NotResource).toBeUndefined();
        for (const action of [statement.Action ?? []].flat())
          expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      }
    });

    const grants = functions.flatMap((fn) => {
      const role = roles.find(
        (candidate) =>
          candidate.service === fn.service && candidate.logicalId === referencedId(fn.properties.Role),
      );
      return (role === undefined ? [] : roleStatements(role)).flatMap((statement) =>
        [statement.Action ?? []].flat().flatMap((action) =>
          [statement.Resource ?? []].flat().map((resource) => ({
            fn: `${fn.service}/${fn.logicalId}`,
            service: fn.service,
            functionName: String(fn.properties.FunctionName),
            action,
            resource: renderCfn(resource),
          })),
        ),
      );
    });

    it('names `Resource: "*"` only for the allow-listed actions', () => {
      const star = grants.filter((grant) => grant.resource === '*');
      expect(star.filter((grant) => RESOURCE_STAR_ALLOWED[grant.action] === undefined)).toEqual([]);
    });

    it('scopes every action to the exact table, index, stream, bucket, queue, function, log group or API it uses', () => {
      expect(grants.length).toBeGreaterThan(0);
      const outOfScope = grants.filter(
        (grant) => !allowedResource(grant.action, grant.resource, grant.service, grant.functionName),
      );
      expect(outOfScope).toEqual([]);
    });

    it('gives every traced function the X-Ray write rights in its own role', () => {
      for (const fn of functions.filter(
        (candidate) =>
          (candidate.properties.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active',
      )) {
        const actions = grants
          .filter((grant) => grant.fn === `${fn.service}/${fn.logicalId}`)
          .map((g) => g.action);
        expect(actions).toEqual(
          expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
        );
      }
    });

    const permissions = resourcesOfType(services, 'AWS::Lambda::Permission');

    it('scopes every Lambda invoke permission with SourceArn (API Gateway: this stage’s own API)', () => {
      expect(permissions.some((permission) => /Websockets/.test(permission.logicalId))).toBe(true);
      for (const permission of permissions) {
        const sourceArn = renderCfn(permission.properties.SourceArn);
        const label = `${permission.service}/${permission.logicalId}`;
        expect({ label, sourceArn: sourceArn.length > 0 }).toEqual({ label, sourceArn: true });
        if (permission.properties.Principal === 'apigateway.amazonaws.com') {
          // the HTTP API joined through compose is a param (set-by-compose when packaged), never `*`
          expect({ label, sourceArn }).toEqual({
            label,
            sourceArn: expect.stringMatching(
              new RegExp(
                `^${arnPrefix('execute-api')}(\\$\\{(WebsocketsApi|HttpApi)\\}|set-by-compose)/\\*$`,
              ),
            ),
          });
        }
        if (permission.properties.Principal === 's3.amazonaws.com') {
          expect(permission.properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
        }
      }
    });

    it('covers the WebSocket $connect authorizer permission (it had no SourceArn before issue #8)', () => {
      const authorizer = permissions.find((permission) =>
        permission.logicalId.startsWith('AuthorizeConnect'),
      );
      expect(renderCfn(authorizer?.properties.SourceArn)).toBe(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub text, not a JS template
        'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebsocketsApi}/*',
      );
    });
  });
}
