import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** Where a large export is stored: under `exports/` (a lifecycle rule drops them after a day), owner first. */
export const exportKey = (sub: string, portfolioId: string, exportId: string): string =>
  `exports/${sub}/${portfolioId}/${exportId}.kupala.json`;

/** S3 access for large exports: streamed in as a multipart upload, handed out as a presigned GET. */
export const buildExportFiles = (s3: S3Client, bucket: string) => ({
  /** Streams text pieces into `key` (5 MiB parts, 2 in flight: about 10 MiB held at most); the bytes stored. */
  async store(key: string, pieces: AsyncIterable<string>): Promise<number> {
    let bytes = 0;
    const body = Readable.from(
      (async function* () {
        for await (const piece of pieces) {
          const buffer = Buffer.from(piece);
          bytes += buffer.byteLength;
          yield buffer;
        }
      })(),
    );
    const upload = new Upload({
      client: s3 as unknown as ConstructorParameters<typeof Upload>[0]['client'],
      params: { Bucket: bucket, Key: key, Body: body, ContentType: 'application/json; charset=utf-8' },
      queueSize: 2,
      partSize: 5 * 1024 * 1024,
      leavePartsOnError: false,
    });
    await upload.done();
    return bytes;
  },

  /** A presigned GET of `key`, valid `seconds`, that downloads as `filename`. */
  downloadUrl(key: string, seconds: number, filename: string): Promise<string> {
    return getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${filename}"`,
      }),
      { expiresIn: seconds },
    );
  },
});

export type ExportFiles = ReturnType<typeof buildExportFiles>;
