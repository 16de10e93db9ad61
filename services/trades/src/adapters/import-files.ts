import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { decodeEventObjectKey, presignedUploadForm, type UploadForm } from '@kupala/trade-model/s3-upload';
import { limitLines } from '../domain/line-limit';

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
  const parts = decodeEventObjectKey(encodedKey)?.split('/') ?? [];
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

/** Which stored object the validation pass read: the booking pass must read that very object. */
export interface SourcePin {
  etag: string;
  versionId?: string;
}

/** An opened source: its bytes (streamed), the pin of the object read and its size. */
export interface OpenedSource {
  body: AsyncIterable<Uint8Array>;
  pin: SourcePin;
  bytes: number;
}

/** The source was replaced after it was validated: importing it now would book a file nobody validated. */
export class SourceChangedError extends Error {
  override readonly name = 'SourceChangedError';
  constructor(readonly key: string) {
    super(`Import file ${key} was replaced after it was validated`);
  }
}

/** A stored file above the size limit: refused before a byte of it is parsed. */
export class SourceTooLargeError extends Error {
  override readonly name = 'SourceTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

export interface SourceLimits {
  maxBytes: number;
  maxLines: number;
}

/** The import's file-level message for a source refused by `pinnedOpener`; undefined for any other error. */
export const sourceRefusal = (error: unknown): string | undefined => {
  if (error instanceof SourceTooLargeError) return error.message;
  if (error instanceof SourceChangedError)
    return 'the file was replaced after it was validated; nothing of it was booked: start a new import to import it';
  return undefined;
};

const isPreconditionFailure = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'PreconditionFailed' ||
    error.name === 'NoSuchVersion' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 412);

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

  /**
   * A presigned POST for the source key, valid `seconds`: S3 itself refuses a file larger than `maxBytes`
   * (content-length-range in the signed policy), which a presigned PUT cannot enforce.
   */
  uploadForm(file: ImportFileKey, seconds: number, maxBytes: number): Promise<UploadForm> {
    return presignedUploadForm(s3, { bucket, key: importSourceKey(file), maxBytes, seconds });
  },

  /**
   * The file as a stream of byte chunks (never read whole into memory). Without `pin`: whatever is stored
   * now, and its pin. With `pin`: that same object or SourceChangedError (If-Match makes S3 refuse another
   * one; the ETag is compared here too, for stores that ignore If-Match).
   */
  async openSource(file: ImportFileKey, pin?: SourcePin): Promise<OpenedSource> {
    const key = importSourceKey(file);
    let response: GetObjectCommandOutput;
    try {
      response = await s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ...(pin === undefined ? {} : { IfMatch: pin.etag }),
        }),
      );
    } catch (error: unknown) {
      if (pin !== undefined && isPreconditionFailure(error)) throw new SourceChangedError(key);
      throw error;
    }
    const { Body, ETag, VersionId, ContentLength } = response;
    if (Body === undefined || ETag === undefined) throw new MissingImportFileError(key);
    if (pin !== undefined && ETag !== pin.etag) {
      (Body as { destroy?: () => void }).destroy?.();
      throw new SourceChangedError(key);
    }
    return {
      // In Node the SDK's Body is an IncomingMessage: a Readable, hence an async iterable of Buffers.
      body: Body as unknown as AsyncIterable<Uint8Array>,
      pin: { etag: ETag, ...(VersionId === undefined ? {} : { versionId: VersionId }) },
      bytes: ContentLength ?? 0,
    };
  },
});

export type ImportFiles = ReturnType<typeof buildImportFiles>;

/**
 * Opens an import's source once per pass: the first call pins the object it read, every later call reads
 * that object or throws SourceChangedError. Each open refuses a file over `maxBytes` (SourceTooLargeError)
 * and stops one over `maxLines` lines, every line counted (a file error).
 */
export const pinnedOpener = (
  files: Pick<ImportFiles, 'openSource'>,
  file: ImportFileKey,
  limits: SourceLimits,
) => {
  let pin: SourcePin | undefined;
  return async (): Promise<AsyncIterable<Uint8Array>> => {
    const source = await files.openSource(file, pin);
    if (source.bytes > limits.maxBytes) throw new SourceTooLargeError(limits.maxBytes);
    pin ??= source.pin;
    return limitLines(source.body, limits.maxLines);
  };
};
