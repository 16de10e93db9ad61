import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** Where an import's file is: the owner's sub leads, so a key built for one user never names another's file. */
export interface ImportFileKey {
  sub: string;
  portfolioId: string;
  importId: string;
}

export const SOURCE_SUFFIX = '/source';

export const importSourceKey = ({ sub, portfolioId, importId }: ImportFileKey): string =>
  `${sub}/${portfolioId}/${importId}${SOURCE_SUFFIX}`;

/** The parts of a source key (as S3 events send it: URL-encoded, spaces as '+'); undefined for any other key. */
export const parseImportSourceKey = (encodedKey: string): ImportFileKey | undefined => {
  let key: string;
  try {
    key = decodeURIComponent(encodedKey.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
  const parts = key.split('/');
  if (parts.length !== 4 || parts[3] !== 'source') return undefined;
  const [sub, portfolioId, importId] = parts;
  if (!sub || !portfolioId || !importId) return undefined;
  return { sub, portfolioId, importId };
};

export class MissingImportFileError extends Error {
  override readonly name = 'MissingImportFileError';
  constructor(readonly key: string) {
    super(`Import file ${key} has no content`);
  }
}

/** S3 access for import files: `s3://<bucket>/<sub>/<portfolioId>/<importId>/source`. */
export const buildImportFiles = (s3: S3Client, bucket: string) => ({
  async putSource(file: ImportFileKey, content: string): Promise<void> {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: importSourceKey(file),
        Body: content,
        ContentType: 'text/plain; charset=utf-8',
      }),
    );
  },

  /** A presigned PUT for the source key, valid `seconds`. */
  uploadUrl(file: ImportFileKey, seconds: number): Promise<string> {
    return getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: importSourceKey(file) }), {
      expiresIn: seconds,
    });
  },

  /** The file as a stream of byte chunks (never read whole into memory). */
  async openSource(file: ImportFileKey): Promise<AsyncIterable<Uint8Array>> {
    const key = importSourceKey(file);
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (Body === undefined) throw new MissingImportFileError(key);
    // In Node the SDK's Body is an IncomingMessage: a Readable, hence an async iterable of Buffers.
    return Body as unknown as AsyncIterable<Uint8Array>;
  },
});

export type ImportFiles = ReturnType<typeof buildImportFiles>;
