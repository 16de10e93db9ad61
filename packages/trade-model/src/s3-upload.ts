import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';

// A sub-path of its own (`@kupala/trade-model/s3-upload`): only the functions that sign uploads or read S3
// events load the presigner (the SDK is external to the bundles, so an import in the index would load it in
// every function).
/** A browser-style upload: POST a multipart form with these fields, the file last (as field `file`), to `url`. */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

/**
 * A presigned POST for one key, valid `seconds`: S3 itself refuses a file larger than `maxBytes` (a
 * content-length-range condition in the signed policy, which a presigned PUT cannot carry) or an empty one.
 */
export const presignedUploadForm = (
  s3: S3Client,
  upload: { bucket: string; key: string; maxBytes: number; seconds: number },
): Promise<UploadForm> =>
  // the presigner is typed against its own (newer) copy of client-s3: the same client at run time
  createPresignedPost(s3 as unknown as Parameters<typeof createPresignedPost>[0], {
    Bucket: upload.bucket,
    Key: upload.key,
    Conditions: [['content-length-range', 1, upload.maxBytes]],
    Expires: upload.seconds,
  });

/** An object key as S3 events send it (URL-encoded, spaces as '+'), decoded; undefined when it cannot be. */
export const decodeEventObjectKey = (encodedKey: string): string | undefined => {
  try {
    return decodeURIComponent(encodedKey.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};
