import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { REPO_ROOT, SERVICE_NAMES } from '../support/packaged-services';
import { GUARD_SUPPRESSIONS } from './cfn-guard-suppressions';

// Issue #8 item 4, policy as code: the AWS Control Tower proactive-control rules (cfn-guard 3, binary and rules both
// shipped in the npm package @cdklabs/cdk-validator-cfnguard, no network) over the compiled template of every
// service as deployed (the prod package) and over deploy/gitlab-oidc.yml. The package's validator is called
// directly with template paths: it needs no CDK app.

interface Finding {
  rule: string;
  resource: string;
}

const GUARD_TIMEOUT_MS = 180_000;

const runGuard = (templates: { label: string; file: string }[]): Finding[] => {
  // the validator reads templatePaths only; the CDK app construct of its context is unused outside a CDK synth
  const context = { templatePaths: templates.map((template) => template.file) } as unknown as Parameters<
    CfnGuardValidator['validate']
  >[0];
  const report = new CfnGuardValidator({}).validate(context);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      resource: `${templates.find((template) => template.file === resource.templatePath)?.label ?? resource.templatePath}/${resource.resourceLogicalId}`,
    })),
  );
};

const deployedTemplates = [
  ...SERVICE_NAMES.map((service) => ({
    label: service,
    file: path.join(
      REPO_ROOT,
      'services',
      service,
      '.serverless-prod',
      'cloudformation-template-update-stack.json',
    ),
  })),
  { label: 'deploy', file: path.join(REPO_ROOT, 'deploy', 'gitlab-oidc.yml') },
];

const suppressionOf = (finding: Finding) =>
  GUARD_SUPPRESSIONS.find(
    (suppression) => suppression.rule === finding.rule && suppression.resources.test(finding.resource),
  );

describe('cfn-guard (Control Tower rules) over every deployed template', () => {
  let findings: Finding[] = [];
  beforeAll(() => {
    findings = runGuard(deployedTemplates);
  }, GUARD_TIMEOUT_MS);

  it('leaves no finding without a listed reason', () => {
    expect(findings.filter((finding) => suppressionOf(finding) === undefined)).toEqual([]);
  });

  it('keeps no stale suppression, and gives each a reason', () => {
    for (const suppression of GUARD_SUPPRESSIONS) {
      const matched = findings.some(
        (finding) => finding.rule === suppression.rule && suppression.resources.test(finding.resource),
      );
      expect({ rule: suppression.rule, resources: String(suppression.resources), matched }).toEqual({
        rule: suppression.rule,
        resources: String(suppression.resources),
        matched: true,
      });
      expect(suppression.reason.length).toBeGreaterThan(40);
    }
  });

  it('suppresses nothing about public buckets, unencrypted or unrecoverable tables, or admin policies', () => {
    const neverSuppressed =
      /bucket_level_public_access|pitr|table_encrypted|admin_access|full_access|ssl_requests/;
    expect(GUARD_SUPPRESSIONS.filter((suppression) => neverSuppressed.test(suppression.rule))).toEqual([]);
  });
});

describe('cfn-guard catches what it is trusted with (canary template)', () => {
  it(
    'flags a public bucket, a table without PITR and a wildcard inline policy',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kupala-guard-'));
      const file = path.join(dir, 'canary.json');
      writeFileSync(
        file,
        JSON.stringify({
          Resources: {
            LeakyBucket: { Type: 'AWS::S3::Bucket', Properties: {} },
            ForgetfulTable: {
              Type: 'AWS::DynamoDB::Table',
              Properties: {
                BillingMode: 'PAY_PER_REQUEST',
                AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
                KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
              },
            },
            GodRole: {
              Type: 'AWS::IAM::Role',
              Properties: {
                AssumeRolePolicyDocument: {
                  Statement: [
                    {
                      Effect: 'Allow',
                      Principal: { Service: 'lambda.amazonaws.com' },
                      Action: 'sts:AssumeRole',
                    },
                  ],
                },
                Policies: [
                  {
                    PolicyName: 'everything',
                    PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
                  },
                ],
              },
            },
          },
        }),
      );
      try {
        const findings = runGuard([{ label: 'canary', file }]);
        expect(findings).toEqual(
          expect.arrayContaining([
            { rule: 's3_bucket_level_public_access_prohibited_check', resource: 'canary/LeakyBucket' },
            { rule: 'dynamodb_table_pitr_enabled_check', resource: 'canary/ForgetfulTable' },
            { rule: 'iam_inline_policy_no_statements_with_admin_access_check', resource: 'canary/GodRole' },
          ]),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    GUARD_TIMEOUT_MS,
  );
});
