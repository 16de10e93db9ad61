import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

// The owner's sub leads every key, so a dataset id of another user addresses nothing of theirs.
const datasetPrefix = (sub: string, datasetId: string) => `${sub}/datasets/${datasetId}/`;
const sourceKey = (sub: string, datasetId: string) => `${datasetPrefix(sub, datasetId)}source.csv`;

export class MissingDatasetFileError extends Error {
  override readonly name = 'MissingDatasetFileError';
  constructor(readonly key: string) {
    super(`Dataset file ${key} has no content`);
  }
}

/** S3 access for dataset files: `s3://<bucket>/<sub>/datasets/<datasetId>/source.csv` and, later, derived files. */
export const buildDatasetFiles = (s3: S3Client, bucket: string) => ({
  async putSource(sub: string, datasetId: string, content: string): Promise<void> {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: sourceKey(sub, datasetId),
        Body: content,
        ContentType: 'text/csv; charset=utf-8',
      }),
    );
  },

  async readSource(sub: string, datasetId: string): Promise<string> {
    const key = sourceKey(sub, datasetId);
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (Body === undefined) throw new MissingDatasetFileError(key);
    return Body.transformToString('utf-8');
  },

  /** Removes the source file only (undoing a create whose metadata could not be written). */
  async deleteSource(sub: string, datasetId: string): Promise<void> {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: sourceKey(sub, datasetId) }));
  },

  /** Removes every file of the dataset; answers how many there were. */
  async deleteAll(sub: string, datasetId: string): Promise<number> {
    let deleted = 0;
    let continuationToken: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: datasetPrefix(sub, datasetId),
          ContinuationToken: continuationToken,
        }),
      );
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
      await Promise.all(keys.map((key) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))));
      deleted += keys.length;
      continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
    return deleted;
  },
});

export type DatasetFiles = ReturnType<typeof buildDatasetFiles>;
