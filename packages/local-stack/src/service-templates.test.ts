// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` here is CloudFormation / Serverless syntax under test
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bucketNamesFromResources,
  parseCloudFormationYaml,
  resolveLocalString,
  resourceNameVariablesFromResources,
  serviceParamNames,
  stageParamNames,
} from './service-templates';

const resources = {
  AnalysesTable: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'kupala-test-analyses' } },
  DatasetsBucket: {
    Type: 'AWS::S3::Bucket',
    Properties: { BucketName: { 'Fn::Sub': 'kupala-test-datasets-${AWS::AccountId}' } },
  },
  ExportsBucket: {
    Type: 'AWS::S3::Bucket',
    Properties: { BucketName: { 'Fn::Sub': ['kupala-${Stage}-exports-${AWS::Region}', { Stage: 'test' }] } },
  },
  PlainBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'kupala-test-plain' } },
  TrainLambdaFunction: {
    Type: 'AWS::Lambda::Function',
    Properties: {
      Environment: {
        Variables: {
          ANALYSES_TABLE: 'kupala-test-analyses',
          DATASETS_BUCKET: { Ref: 'DatasetsBucket' },
          EXPORTS_BUCKET: { 'Fn::Sub': '${ExportsBucket}' },
          STAGE: 'test',
          AUTH_USER_POOL_ID: { Ref: 'CognitoUserPool' },
          OTHER_WORKER: 'kupala-other-test-work',
        },
      },
    },
  },
};

describe('bucketNamesFromResources', () => {
  it('resolves plain names and Fn::Sub over pseudo parameters and variables', () => {
    expect(bucketNamesFromResources(resources)).toEqual([
      'kupala-test-datasets-000000000000',
      'kupala-test-exports-us-east-1',
      'kupala-test-plain',
    ]);
  });

  it('refuses a bucket whose name cannot be resolved locally', () => {
    expect(() =>
      bucketNamesFromResources({
        B: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { Ref: 'Nope' } } },
      }),
    ).toThrow(/S3 bucket resource B: BucketName/);
    expect(() => bucketNamesFromResources({ B: { Type: 'AWS::S3::Bucket', Properties: {} } })).toThrow(/B:/);
  });
});

describe('resolveLocalString', () => {
  it('resolves Ref and Fn::Sub of tables and buckets to their names, leaves others unresolved', () => {
    expect(resolveLocalString({ Ref: 'AnalysesTable' }, resources)).toBe('kupala-test-analyses');
    expect(resolveLocalString({ Ref: 'AWS::Region' }, resources)).toBe('us-east-1');
    expect(resolveLocalString({ 'Fn::Sub': 'x-${!Literal}' }, resources)).toBe('x-${Literal}');
    expect(resolveLocalString({ 'Fn::Join': ['-', ['a', { Ref: 'AWS::AccountId' }]] }, resources)).toBe(
      'a-000000000000',
    );
    expect(resolveLocalString({ Ref: 'CognitoUserPool' }, resources)).toBeUndefined();
    expect(resolveLocalString({ 'Fn::GetAtt': ['AnalysesTable', 'Arn'] }, resources)).toBeUndefined();
  });
});

describe('resourceNameVariablesFromResources', () => {
  it('keeps only function variables that name a table or bucket of the template', () => {
    expect(resourceNameVariablesFromResources(resources)).toEqual({
      ANALYSES_TABLE: 'kupala-test-analyses',
      DATASETS_BUCKET: 'kupala-test-datasets-000000000000',
      EXPORTS_BUCKET: 'kupala-test-exports-us-east-1',
    });
  });

  it("also keeps a variable naming another template's resource when that name is given", () => {
    expect(resourceNameVariablesFromResources(resources, ['kupala-other-test-work'])).toMatchObject({
      ANALYSES_TABLE: 'kupala-test-analyses',
      OTHER_WORKER: 'kupala-other-test-work',
    });
  });
});

describe('parseCloudFormationYaml', () => {
  it('reads CloudFormation short forms as their long forms', () => {
    const parsed = parseCloudFormationYaml(`
a: !Ref Table
b: !GetAtt Table.StreamArn
c: !GetAtt [Table, Arn]
d: !Join ['', ['x', !Ref AWS::Region]]
e: !Sub 'kupala-\${AWS::AccountId}'
f: !Sub ['\${A}', { A: !Ref B }]
g: !If [IsProd, 1, 2]
h: !Select [0, !GetAZs '']
`);
    expect(parsed).toEqual({
      a: { Ref: 'Table' },
      b: { 'Fn::GetAtt': ['Table', 'StreamArn'] },
      c: { 'Fn::GetAtt': ['Table', 'Arn'] },
      d: { 'Fn::Join': ['', ['x', { Ref: 'AWS::Region' }]] },
      e: { 'Fn::Sub': 'kupala-${AWS::AccountId}' },
      f: { 'Fn::Sub': ['${A}', { A: { Ref: 'B' } }] },
      g: { 'Fn::If': ['IsProd', 1, 2] },
      h: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
    });
  });
});

describe('service params', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kupala-params-'));
    await mkdir(join(dir, 'config'));
    await mkdir(join(dir, 'service'));
    await writeFile(
      join(dir, 'service', 'serverless.yml'),
      [
        'params:',
        '  default: { tradesStreamArn: set-by-compose }',
        '  local:',
        '    webSocketCallbackUrl: http://127.0.0.1:4302',
        'provider: ${file(../config/provider.js):provider}',
        'custom:',
        '  shared: ${file(../config/shared.yml):esbuild}',
        '  arn: ${param:tradesStreamArn}',
        '  url: ${param:webSocketCallbackUrl}',
        '  ref: !Ref Something',
      ].join('\n'),
    );
    await writeFile(join(dir, 'config', 'shared.yml'), 'a: ${param:userPoolId}\n');
    await writeFile(
      join(dir, 'config', 'provider.js'),
      "module.exports = (r) => r.resolveVariable('param:httpApiId');\n",
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds every ${param:…} in the service file and the files it includes (YAML and JS)', async () => {
    expect(await serviceParamNames(join(dir, 'service'))).toEqual([
      'httpApiId',
      'tradesStreamArn',
      'userPoolId',
      'webSocketCallbackUrl',
    ]);
  });

  it('lists the params the service defines for a stage', async () => {
    expect(await stageParamNames(join(dir, 'service'), 'local')).toEqual(['webSocketCallbackUrl']);
    expect(await stageParamNames(join(dir, 'service'), 'prod')).toEqual([]);
  });
});
