import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { buildDatasetFiles } from './dataset-files';

const s3 = mockClient(S3Client);
const files = () =>
  buildDatasetFiles(new S3Client({ region: 'eu-west-1' }), 'kupala-test-datasets-000000000000');

beforeEach(() => s3.reset());

describe('dataset files', () => {
  it('stores the source under <sub>/datasets/<datasetId>/source.csv as CSV', async () => {
    s3.on(PutObjectCommand).resolves({});
    await files().putSource('alice', '01JQ0000000000000000000000', 'a\n1\n');
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'kupala-test-datasets-000000000000',
      Key: 'alice/datasets/01JQ0000000000000000000000/source.csv',
      Body: 'a\n1\n',
      ContentType: 'text/csv; charset=utf-8',
    });
  });

  it("deletes every object under the dataset's prefix, across listing pages", async () => {
    const prefix = 'alice/datasets/01JQ0000000000000000000000/';
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: `${prefix}source.csv` }],
        IsTruncated: true,
        NextContinuationToken: 't1',
      })
      .resolvesOnce({ Contents: [{ Key: `${prefix}derived.parquet` }], IsTruncated: false });
    s3.on(DeleteObjectCommand).resolves({});
    await expect(files().deleteAll('alice', '01JQ0000000000000000000000')).resolves.toBe(2);
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input)).toEqual([
      { Bucket: 'kupala-test-datasets-000000000000', Prefix: prefix, ContinuationToken: undefined },
      { Bucket: 'kupala-test-datasets-000000000000', Prefix: prefix, ContinuationToken: 't1' },
    ]);
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key)).toEqual([
      `${prefix}source.csv`,
      `${prefix}derived.parquet`,
    ]);
  });
});
