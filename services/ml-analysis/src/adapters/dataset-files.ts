import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { decodeEventObjectKey, presignedUploadForm, type UploadForm } from '@kupala/trade-model/s3-upload';

// The owner's sub leads every key, so a dataset id of another user addresses nothing of theirs.
const datasetPrefix = (sub: string, datasetId: string) => `${sub}/datasets/${datasetId}/`;
const sourceKey = (sub: string, datasetId: string) => `${datasetPrefix(sub, datasetId)}source.csv`;
/**
 * Where a presigned upload puts the file, outside the datasets' own prefix: the bucket notifies the profiling
 * function of keys under it, and expires what was never profiled after a day.
 */
export const UPLOAD_PREFIX = 'uploads/';
const uploadKey = (sub: string, datasetId: string) => `${UPLOAD_PREFIX}${sub}/${datasetId}`;

/** The owner and dataset of an uploaded file's key (as S3 events send it); undefined for any other key. */
export const parseUploadKey = (encodedKey: string): { sub: string; datasetId: string } | undefined => {
  const parts = decodeEventObjectKey(encodedKey)?.split('/') ?? [];
  const [uploads, sub, datasetId] = parts;
  if (parts.length !== 3 || `${uploads}/` !== UPLOAD_PREFIX || !sub || !datasetId) return undefined;
  return { sub, datasetId };
};

/** An object opened for reading: its bytes as a stream and its size. */
export interface OpenedFile {
  body: AsyncIterable<Uint8Array>;
  bytes: number;
}

export class MissingDatasetFileError extends Error {
  override readonly name = 'MissingDatasetFileError';
  constructor(readonly key: string) {
    super(`Dataset file ${key} has no content`);
  }
}

/** S3 access for dataset files: `s3://<bucket>/<sub>/datasets/<datasetId>/source.csv` and, later, derived files. */
export const buildDatasetFiles = (s3: S3Client, bucket: string) => {
  const open = async (key: string): Promise<OpenedFile | undefined> => {
    try {
      const { Body, ContentLength } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (Body === undefined) return undefined;
      // In Node the SDK's Body is an IncomingMessage: a Readable, hence an async iterable of Buffers.
      return { body: Body as unknown as AsyncIterable<Uint8Array>, bytes: ContentLength ?? 0 };
    } catch (error: unknown) {
      if (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound'))
        return undefined;
      throw error;
    }
  };
  return {
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

    /** A presigned POST of the dataset's upload key (S3 refuses an empty file or one above `maxBytes`). */
    uploadForm(sub: string, datasetId: string, seconds: number, maxBytes: number): Promise<UploadForm> {
      return presignedUploadForm(s3, { bucket, key: uploadKey(sub, datasetId), maxBytes, seconds });
    },

    /** The uploaded file, streamed (never read whole); undefined when there is none (already processed). */
    async openUpload(sub: string, datasetId: string): Promise<OpenedFile | undefined> {
      return open(uploadKey(sub, datasetId));
    },

    /** The source file, streamed. */
    async openSource(sub: string, datasetId: string): Promise<OpenedFile> {
      const key = sourceKey(sub, datasetId);
      const opened = await open(key);
      if (opened === undefined) throw new MissingDatasetFileError(key);
      return opened;
    },

    /** Makes an uploaded CSV file the dataset's source, inside S3 (no byte of it passes through here). */
    async promoteUpload(sub: string, datasetId: string): Promise<void> {
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          CopySource: `${bucket}/${uploadKey(sub, datasetId)}`,
          Key: sourceKey(sub, datasetId),
          ContentType: 'text/csv; charset=utf-8',
          MetadataDirective: 'REPLACE',
        }),
      );
    },

    async deleteUpload(sub: string, datasetId: string): Promise<void> {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: uploadKey(sub, datasetId) }));
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
        const keys = (page.Contents ?? []).flatMap((object) =>
          object.Key === undefined ? [] : [object.Key],
        );
        await Promise.all(keys.map((key) => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))));
        deleted += keys.length;
        continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      } while (continuationToken !== undefined);
      return deleted;
    },
  };
};

export type DatasetFiles = ReturnType<typeof buildDatasetFiles>;
