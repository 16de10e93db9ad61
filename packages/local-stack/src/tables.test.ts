// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${…}` here is CloudFormation / Serverless syntax under test
import { TableDefinitionError, tableInputsFromResources } from './tables';
import { TRADES_TABLE_NAME, tradesTableResource as tradesTable } from './trades-table.fixture';

describe('tableInputsFromResources', () => {
  it('converts every DynamoDB table and ignores other resource types', () => {
    const inputs = tableInputsFromResources({
      TradesTable: tradesTable,
      DatasetsBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'x' } },
      SomeRole: { Type: 'AWS::IAM::Role', Properties: {} },
    });
    expect(inputs).toEqual([
      {
        TableName: TRADES_TABLE_NAME,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: tradesTable.Properties.AttributeDefinitions,
        KeySchema: tradesTable.Properties.KeySchema,
        GlobalSecondaryIndexes: tradesTable.Properties.GlobalSecondaryIndexes,
        LocalSecondaryIndexes: tradesTable.Properties.LocalSecondaryIndexes,
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      },
    ]);
  });

  it('drops what DynamoDB Local ignores (PITR, SSE, TTL, tags)', () => {
    const [input] = tableInputsFromResources({ TradesTable: tradesTable });
    expect(Object.keys(input ?? {}).sort()).toEqual([
      'AttributeDefinitions',
      'BillingMode',
      'GlobalSecondaryIndexes',
      'KeySchema',
      'LocalSecondaryIndexes',
      'StreamSpecification',
      'TableName',
    ]);
  });

  it('leaves the stream off when the table has none', () => {
    const { StreamSpecification: _stream, ...properties } = tradesTable.Properties;
    const [input] = tableInputsFromResources({ T: { Type: 'AWS::DynamoDB::Table', Properties: properties } });
    expect(input?.StreamSpecification).toBeUndefined();
  });

  it('gives provisioned tables and their indexes a throughput', () => {
    const [input] = tableInputsFromResources({
      T: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          TableName: 'provisioned',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 },
          GlobalSecondaryIndexes: [
            { IndexName: 'g', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], Projection: {} },
          ],
        },
      },
    });
    expect(input?.BillingMode).toBe('PROVISIONED');
    expect(input?.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 2, WriteCapacityUnits: 3 });
    expect(input?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toEqual({
      ReadCapacityUnits: 5,
      WriteCapacityUnits: 5,
    });
  });

  it.each([
    ['an intrinsic function', { 'Fn::Sub': 'kupala-${AWS::Region}' }],
    ['a Ref', { Ref: 'TableNameParam' }],
    ['an unresolved variable', undefined],
  ])('refuses a TableName that is %s, naming the resource', (_case, tableName) => {
    const resources = {
      TradesTable: { ...tradesTable, Properties: { ...tradesTable.Properties, TableName: tableName } },
    };
    expect(() => tableInputsFromResources(resources)).toThrow(TableDefinitionError);
    expect(() => tableInputsFromResources(resources)).toThrow(
      /TradesTable: TableName must be a plain string/,
    );
  });

  it('refuses malformed key schemas clearly', () => {
    const resources = {
      Bad: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { ...tradesTable.Properties, KeySchema: [{ AttributeName: 'pk' }] },
      },
    };
    expect(() => tableInputsFromResources(resources)).toThrow(/Bad: KeySchema\[0\]\.KeyType/);
  });
});
