import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { buildWebClient } from '@kupala/web-client/build';
import { siteConfigJson, siteObjects } from './site-objects';

/** Run by deploy-site.cjs after a deploy: SITE_BUCKET, SITE_CONFIG (JSON) and AWS_REGION come from it. */
const main = async (): Promise<void> => {
  const bucket = process.env.SITE_BUCKET;
  if (bucket === undefined || bucket === '') throw new Error('SITE_BUCKET is not set');
  const config = siteConfigJson(process.env.SITE_CONFIG);
  const built = await buildWebClient(join(tmpdir(), `kupala-web-${process.pid}`));
  const s3 = new S3Client({});
  // assets first, index.html and config.json last: a browser never gets a page whose script is not there yet
  const objects = siteObjects(built.files).sort(
    (a, b) => Number(!a.key.startsWith('assets/')) - Number(!b.key.startsWith('assets/')),
  );
  for (const object of objects) {
    const body = object.key === 'config.json' ? config : await readFile(join(built.outDir, object.key));
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: object.key,
        Body: body,
        ContentType: object.contentType,
        CacheControl: object.cacheControl,
      }),
    );
    process.stdout.write(`uploaded s3://${bucket}/${object.key}\n`);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`upload-site failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
