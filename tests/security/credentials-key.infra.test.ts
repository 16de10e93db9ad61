import { type CfnResource, packagedServices } from '../support/packaged-services';

// The credentials' KMS key and who may use it, over the compiled templates of every service.
const resources = packagedServices().flatMap((service) =>
  Object.entries(service.resources).map(([logicalId, resource]) => ({
    service: service.name,
    logicalId,
    resource: resource as CfnResource & { UpdateReplacePolicy?: string },
  })),
);
const kmsKeys = resources.filter(({ resource }) => resource.Type === 'AWS::KMS::Key');

interface Statement {
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}
const roleStatements = resources
  .filter(({ resource }) => resource.Type === 'AWS::IAM::Role')
  .flatMap(({ logicalId, resource }) =>
    ((resource.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
      (policy) => policy.PolicyDocument.Statement.map((statement) => ({ role: logicalId, statement })),
    ),
  );

describe('the credentials KMS key', () => {
  it('exists once, in trades, rotated and retained', () => {
    expect(kmsKeys.map(({ service, logicalId }) => `${service}/${logicalId}`)).toEqual([
      'trades/CredentialsKey',
    ]);
    for (const { resource } of kmsKeys) {
      expect(resource.Properties?.EnableKeyRotation).toBe(true);
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    }
  });

  it('its key policy grants kms:* to the account root only', () => {
    for (const { resource } of kmsKeys) {
      const policy = resource.Properties?.KeyPolicy as { Statement: Statement[] } | undefined;
      const statements = policy?.Statement ?? [];
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements.filter((candidate) => candidate.Effect === 'Allow')) {
        expect(statement.Principal).toEqual({
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not a JS template
          AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' },
        });
      }
    }
  });

  it('only putCredential may use it, for kms:GenerateDataKey bound to a user and provider; nobody decrypts', () => {
    const kms = roleStatements.filter(({ statement }) =>
      [statement.Action].flat().some((action) => action.startsWith('kms:')),
    );
    expect(kms).toEqual([
      {
        role: 'PutCredentialIamRoleLambdaExecution',
        statement: {
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey'],
          Resource: { 'Fn::GetAtt': ['CredentialsKey', 'Arn'] },
          Condition: {
            Null: { 'kms:EncryptionContext:userId': 'false', 'kms:EncryptionContext:provider': 'false' },
          },
        },
      },
    ]);
  });

  it('the Credentials table is read and written by the three credential functions only, each with one action', () => {
    const onTable = roleStatements.filter(
      ({ statement }) =>
        JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': ['CredentialsTable', 'Arn'] }),
    );
    expect(onTable.map(({ role, statement }) => [role, statement.Action]).sort()).toEqual([
      ['DeleteCredentialIamRoleLambdaExecution', ['dynamodb:DeleteItem']],
      ['ListCredentialsIamRoleLambdaExecution', ['dynamodb:Query']],
      ['PutCredentialIamRoleLambdaExecution', ['dynamodb:PutItem']],
    ]);
  });
});
