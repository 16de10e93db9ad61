import path from 'node:path';
import { renderCfn } from '../support/cfn-expressions';
import {
  evaluate,
  evaluateWithBoundary,
  type IamRequest,
  type IamStatement,
  loadCfnYaml,
  resolveCfn,
} from '../support/iam-policy-evaluator';
import { packagedServices, REPO_ROOT } from '../support/packaged-services';

// the CloudFormation expression osls puts on each role (config/serverless/shared.yml), not a JS template
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
const BOUNDARY_SUB = 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/kupala-function-boundary';

// Issue #8 item 6: the GitLab -> AWS trust (deploy/gitlab-oidc.yml), evaluated against forged token claims with
// tests/support/iam-policy-evaluator.ts (AWS's documented StringEquals/StringLike semantics), and the deploy
// role's permissions held to the stack-name prefix.

const template = loadCfnYaml(path.join(REPO_ROOT, 'deploy', 'gitlab-oidc.yml')) as {
  Parameters: Record<string, { AllowedPattern?: string; Default?: string }>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
};
const PROVIDER_ARN = 'arn:aws:iam::123456789012:oidc-provider/gitlab.com';
const PROJECT = 'kupala-group/kupala';
const BOUNDARY_ARN = 'arn:aws:iam::123456789012:policy/kupala-function-boundary';
const values = {
  ProjectPath: PROJECT,
  Audience: 'sts.amazonaws.com',
  StackPrefix: 'kupala',
  GitLabOidcProvider: PROVIDER_ARN,
  FunctionRoleBoundary: BOUNDARY_ARN,
  'AWS::Partition': 'aws',
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '123456789012',
};
const deployRole = template.Resources.DeployRole;
const trust = resolveCfn(deployRole?.Properties.AssumeRolePolicyDocument, values) as {
  Statement: IamStatement[];
};

const MAIN = `project_path:${PROJECT}:ref_type:branch:ref:main`;
const tokenRequest = (claims: Record<string, string | undefined>, overrides: Partial<IamRequest> = {}) => ({
  action: 'sts:AssumeRoleWithWebIdentity',
  principal: { Federated: PROVIDER_ARN },
  context: { 'gitlab.com:sub': MAIN, 'gitlab.com:aud': 'sts.amazonaws.com', ...claims },
  ...overrides,
});

describe('the evaluator follows AWS condition semantics (self-check on hand-written policies)', () => {
  const allowIf = (Condition: IamStatement['Condition']): IamStatement[] => [
    {
      Effect: 'Allow',
      Principal: { Federated: PROVIDER_ARN },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition,
    },
  ];
  const ask = (policy: IamStatement[], sub: string | undefined) =>
    evaluate(policy, tokenRequest({ 'gitlab.com:sub': sub }));

  it('StringEquals is literal and case-sensitive in values, case-insensitive in key names', () => {
    expect(ask(allowIf({ StringEquals: { 'GitLab.com:SUB': 'a*' } }), 'a*')).toBe('Allow');
    expect(ask(allowIf({ StringEquals: { 'gitlab.com:sub': 'a*' } }), 'abc')).toBe('ImplicitDeny');
    expect(ask(allowIf({ StringEquals: { 'gitlab.com:sub': 'abc' } }), 'ABC')).toBe('ImplicitDeny');
  });

  it('StringLike globs with * and ?; several values are OR, several keys are AND', () => {
    expect(ask(allowIf({ StringLike: { 'gitlab.com:sub': 'a*c' } }), 'a/b/c')).toBe('Allow');
    expect(ask(allowIf({ StringLike: { 'gitlab.com:sub': 'a?c' } }), 'abbc')).toBe('ImplicitDeny');
    expect(ask(allowIf({ StringEquals: { 'gitlab.com:sub': ['x', 'abc'] } }), 'abc')).toBe('Allow');
    const both = allowIf({ StringEquals: { 'gitlab.com:sub': 'abc', 'gitlab.com:aud': 'other' } });
    expect(ask(both, 'abc')).toBe('ImplicitDeny');
  });

  it('an absent key fails a condition unless IfExists; an explicit Deny wins', () => {
    expect(ask(allowIf({ StringEquals: { 'gitlab.com:sub': 'abc' } }), undefined)).toBe('ImplicitDeny');
    expect(ask(allowIf({ StringEqualsIfExists: { 'gitlab.com:sub': 'abc' } }), undefined)).toBe('Allow');
    const denied: IamStatement[] = [
      ...allowIf({}),
      { Effect: 'Deny', Principal: { Federated: PROVIDER_ARN }, Action: 'sts:*' },
    ];
    expect(ask(denied, 'abc')).toBe('ExplicitDeny');
  });

  it('refuses an operator it does not implement rather than guessing', () => {
    expect(() => ask(allowIf({ ForAnyValueStringLike: { 'gitlab.com:sub': 'a' } }), 'a')).toThrow(
      /not supported/,
    );
  });
});

describe('deploy/gitlab-oidc.yml: only the main branch of the one project, with the STS audience, may deploy', () => {
  it('defines the gitlab.com provider with the STS audience as its client id', () => {
    const provider = template.Resources.GitLabOidcProvider;
    expect(provider?.Type).toBe('AWS::IAM::OIDCProvider');
    expect(provider?.Properties.Url).toBe('https://gitlab.com');
    expect(resolveCfn(provider?.Properties.ClientIdList, values)).toEqual(['sts.amazonaws.com']);
  });

  it('trusts with StringEquals only, on both sub and aud, with no wildcard character in any value', () => {
    expect(trust.Statement).toHaveLength(1);
    const [statement] = trust.Statement;
    expect(Object.keys(statement?.Condition ?? {})).toEqual(['StringEquals']);
    expect(statement?.Condition?.StringEquals).toEqual({
      'gitlab.com:aud': 'sts.amazonaws.com',
      'gitlab.com:sub': MAIN,
    });
    expect(JSON.stringify(statement?.Condition)).not.toMatch(/[*?]/);
    // and the parameter cannot smuggle one in
    const pattern = new RegExp(template.Parameters.ProjectPath?.AllowedPattern ?? '');
    expect(pattern.test(PROJECT)).toBe(true);
    for (const forged of [
      'kupala-group/*',
      'kupala-group/kupala?',
      '*',
      'kupala-group/kupala:ref_type:tag',
    ]) {
      expect({ forged, accepted: pattern.test(forged) }).toEqual({ forged, accepted: false });
    }
  });

  it('allows the real main-branch token of the project', () => {
    expect(evaluate(trust.Statement, tokenRequest({}))).toBe('Allow');
  });

  it.each([
    ['another project', { 'gitlab.com:sub': 'project_path:mallory/kupala:ref_type:branch:ref:main' }],
    [
      'a sibling project sharing the prefix',
      { 'gitlab.com:sub': `project_path:${PROJECT}-fork:ref_type:branch:ref:main` },
    ],
    ['a subproject', { 'gitlab.com:sub': `project_path:${PROJECT}/sub:ref_type:branch:ref:main` }],
    ['a feature branch', { 'gitlab.com:sub': `project_path:${PROJECT}:ref_type:branch:ref:feature/steal` }],
    [
      'a branch named main-something',
      { 'gitlab.com:sub': `project_path:${PROJECT}:ref_type:branch:ref:main-evil` },
    ],
    ['a tag named main', { 'gitlab.com:sub': `project_path:${PROJECT}:ref_type:tag:ref:main` }],
    ['a claim spelled with wildcards', { 'gitlab.com:sub': `project_path:${PROJECT}:ref_type:*:ref:*` }],
    [
      'different case',
      { 'gitlab.com:sub': `project_path:${PROJECT.toUpperCase()}:ref_type:branch:ref:main` },
    ],
    ['no sub at all', { 'gitlab.com:sub': undefined }],
    [
      'the gitlab.com audience (a token minted for another relying party)',
      { 'gitlab.com:aud': 'https://gitlab.com' },
    ],
    ['any other audience', { 'gitlab.com:aud': 'https://attacker.example' }],
    ['no audience', { 'gitlab.com:aud': undefined }],
  ])('denies %s', (_case, claims) => {
    expect(evaluate(trust.Statement, tokenRequest(claims))).toBe('ImplicitDeny');
  });

  it('denies the same claims from another identity provider, and any action but AssumeRoleWithWebIdentity', () => {
    const otherIdp = tokenRequest(
      {},
      { principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/gitlab.example' } },
    );
    expect(evaluate(trust.Statement, otherIdp)).toBe('ImplicitDeny');
    expect(evaluate(trust.Statement, tokenRequest({}, { action: 'sts:AssumeRole' }))).toBe('ImplicitDeny');
  });

  it('would have caught the classic weakenings (control: the evaluator is not deny-everything)', () => {
    const [statement] = trust.Statement;
    const weakened: IamStatement[] = [
      {
        ...(statement as IamStatement),
        Condition: { StringLike: { 'gitlab.com:sub': `project_path:${PROJECT}*:ref_type:*:ref:main*` } },
      },
    ];
    for (const sub of [
      `project_path:${PROJECT}-fork:ref_type:branch:ref:main`,
      `project_path:${PROJECT}:ref_type:tag:ref:main`,
      `project_path:${PROJECT}:ref_type:branch:ref:main-evil`,
    ]) {
      expect(
        evaluate(
          weakened,
          tokenRequest({ 'gitlab.com:sub': sub, 'gitlab.com:aud': 'https://attacker.example' }),
        ),
      ).toBe('Allow');
    }
  });
});

describe('deploy/gitlab-oidc.yml: the deploy role holds only what `serverless deploy` of kupala-* stacks needs', () => {
  /** Actions with no resource type in IAM (Service Authorization Reference): `Resource: "*"` is the only form. */
  const RESOURCE_STAR_ALLOWED: Record<string, string> = {
    'cloudformation:ValidateTemplate': 'no resource type; reads nothing',
    'cognito-idp:CreateUserPool': 'no resource type; held to pools tagged app=kupala by aws:RequestTag',
    'kms:CreateKey': 'no resource type; held to keys tagged app=kupala by aws:RequestTag',
    'lambda:CreateEventSourceMapping':
      'event source mappings have generated ids; held to our functions by lambda:FunctionArn',
    'lambda:UpdateEventSourceMapping': 'as above',
    'lambda:DeleteEventSourceMapping': 'as above',
    'lambda:GetEventSourceMapping': 'as above',
  };
  const statements = (
    resolveCfn(
      (deployRole?.Properties.Policies as { PolicyDocument: unknown }[] | undefined)?.[0]?.PolicyDocument,
      values,
    ) as { Statement: (IamStatement & { Resource: string | string[]; Sid: string })[] }
  ).Statement;

  it('names every action exactly (no wildcard), in Allow statements and in the Deny statements that fence it', () => {
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) {
      expect(['Allow', 'Deny']).toContain(statement.Effect);
      for (const action of [statement.Action ?? []].flat()) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    }
  });

  it('names `Resource: "*"` only for actions without a resource type, each held by a condition but ValidateTemplate', () => {
    for (const statement of statements.filter((candidate) => [candidate.Resource].flat().includes('*'))) {
      for (const action of [statement.Action ?? []].flat()) {
        expect({ action, reason: RESOURCE_STAR_ALLOWED[action] }).toEqual({
          action,
          reason: expect.any(String),
        });
      }
      if (statement.Sid !== 'ValidateTemplateHasNoResourceType') expect(statement.Condition).toBeDefined();
    }
  });

  it('scopes every other resource to the kupala- prefix, or to resources tagged app=kupala', () => {
    for (const statement of statements.filter(
      (candidate) => candidate.Effect === 'Allow' && ![candidate.Resource].flat().includes('*'),
    )) {
      for (const resource of [statement.Resource].flat()) {
        const byName = /(:|\/)kupala-\*/.test(resource) || /:::kupala-\*/.test(resource);
        const byTag =
          JSON.stringify(statement.Condition ?? {}).includes('"aws:ResourceTag/app":"kupala"') ||
          JSON.stringify(statement.Condition ?? {}).includes('"aws:RequestTag/app":"kupala"');
        expect({ sid: statement.Sid, resource, scoped: byName || byTag }).toEqual({
          sid: statement.Sid,
          resource,
          scoped: true,
        });
      }
    }
  });

  it('passes roles to Lambda only, and can neither delete a table nor a bucket (they are retained)', () => {
    const pass = statements.find((statement) => [statement.Action].flat().includes('iam:PassRole'));
    expect(pass?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } });
    const actions = statements
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) => [statement.Action ?? []].flat());
    expect(actions).not.toContain('dynamodb:DeleteTable');
    expect(actions).not.toContain('s3:DeleteBucket');
    expect(actions).not.toContain('cloudformation:DeleteStack');
    expect(
      actions.filter(
        (action) =>
          action.startsWith('iam:') && /Policy$|User|AccessKey/.test(action) && !/RolePolicy$/.test(action),
      ),
    ).toEqual([]);
  });

  it('trusts the provider of this very template, by reference', () => {
    const raw = deployRole?.Properties.AssumeRolePolicyDocument as { Statement: { Principal: unknown }[] };
    expect(renderCfn(raw.Statement[0]?.Principal)).toBe('{"Federated":{"Ref":"GitLabOidcProvider"}}');
  });
});

describe('deploy/gitlab-oidc.yml: every role the pipeline creates carries the function boundary', () => {
  const policyOf = (resource: string, key: 'Policies' | 'PolicyDocument') => {
    const properties = template.Resources[resource]?.Properties ?? {};
    const document =
      key === 'Policies'
        ? (properties.Policies as { PolicyDocument: unknown }[] | undefined)?.[0]?.PolicyDocument
        : properties.PolicyDocument;
    return (resolveCfn(document, values) as { Statement: IamStatement[] }).Statement;
  };
  const deploy = policyOf('DeployRole', 'Policies');
  const boundary = policyOf('FunctionRoleBoundary', 'PolicyDocument');
  const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
  const iamRequest = (
    action: string,
    resource: string,
    context: Record<string, string | undefined> = {},
  ) => ({
    action,
    principal: {},
    resource,
    context,
  });

  it('creates a kupala- role, or writes its policy, only with the boundary attached', () => {
    const withBoundary = { 'iam:PermissionsBoundary': BOUNDARY_ARN };
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy']) {
      const target = role('kupala-prod-trades-bookTrade-eu-west-1-lambdaRole');
      expect(evaluate(deploy, iamRequest(action, target, withBoundary))).toBe('Allow');
      expect(evaluate(deploy, iamRequest(action, target))).toBe('ImplicitDeny');
      expect(
        evaluate(
          deploy,
          iamRequest(action, target, { 'iam:PermissionsBoundary': 'arn:aws:iam::123456789012:policy/open' }),
        ),
      ).toBe('ImplicitDeny');
      // outside the prefix, even with the boundary
      expect(evaluate(deploy, iamRequest(action, role('admin'), withBoundary))).toBe('ImplicitDeny');
    }
  });

  it('can neither change itself nor lift or rewrite a boundary (explicit deny)', () => {
    const self = role('kupala-gitlab-deploy');
    for (const action of ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy']) {
      expect(evaluate(deploy, iamRequest(action, self, { 'iam:PermissionsBoundary': BOUNDARY_ARN }))).toBe(
        'ExplicitDeny',
      );
    }
    expect(evaluate(deploy, iamRequest('iam:DeleteRolePermissionsBoundary', role('kupala-x')))).toBe(
      'ExplicitDeny',
    );
    expect(evaluate(deploy, iamRequest('iam:CreatePolicyVersion', BOUNDARY_ARN))).toBe('ExplicitDeny');
  });

  it('lets a function role do nothing outside kupala- resources, and no IAM, STS or key administration', () => {
    const broad: IamStatement[] = [{ Effect: 'Allow', Action: '*', Resource: '*' }];
    const ask = (action: string, resource: string) =>
      evaluateWithBoundary(broad, boundary, iamRequest(action, resource));
    expect(ask('dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:123456789012:table/kupala-prod-trades')).toBe(
      'Allow',
    );
    expect(ask('dynamodb:GetItem', 'arn:aws:dynamodb:eu-west-1:123456789012:table/payroll')).toBe(
      'ImplicitDeny',
    );
    expect(
      ask('dynamodb:DeleteTable', 'arn:aws:dynamodb:eu-west-1:123456789012:table/kupala-prod-trades'),
    ).toBe('ImplicitDeny');
    expect(ask('s3:GetObject', 'arn:aws:s3:::kupala-prod-datasets-123456789012/u/a.csv')).toBe('Allow');
    expect(ask('s3:GetObject', 'arn:aws:s3:::other-bucket/a.csv')).toBe('ImplicitDeny');
    expect(ask('iam:PassRole', role('kupala-x'))).toBe('ExplicitDeny');
    expect(ask('sts:AssumeRole', role('kupala-gitlab-deploy'))).toBe('ExplicitDeny');
    expect(ask('kms:ScheduleKeyDeletion', 'arn:aws:kms:eu-west-1:123456789012:key/k')).toBe('ExplicitDeny');
  });

  it("every role of every compiled prod template carries the boundary, and it allows each action the role's policy names", () => {
    const services = packagedServices('prod');
    let roles = 0;
    for (const service of services) {
      for (const [id, resource] of Object.entries(service.resources)) {
        if (resource.Type !== 'AWS::IAM::Role') continue;
        roles += 1;
        expect({
          role: `${service.name}/${id}`,
          boundary: renderCfn(resource.Properties?.PermissionsBoundary),
        }).toEqual({
          role: `${service.name}/${id}`,
          boundary: renderCfn({
            'Fn::Sub': BOUNDARY_SUB,
          }),
        });
        const policies = (resource.Properties?.Policies ?? []) as {
          PolicyDocument: { Statement: IamStatement[] };
        }[];
        for (const statement of policies.flatMap((policy) => policy.PolicyDocument.Statement)) {
          for (const action of [statement.Action ?? []].flat()) {
            // action level: the role's own resources are exact ARNs inside the kupala- prefix (least-privilege test)
            const decision = evaluate(boundary, {
              action,
              principal: {},
              context: { 'aws:ResourceTag/app': 'kupala' },
            });
            expect({ role: `${service.name}/${id}`, action, decision }).toEqual({
              role: `${service.name}/${id}`,
              action,
              decision: 'Allow',
            });
          }
        }
      }
    }
    expect(roles).toBeGreaterThan(20);
  });
});
