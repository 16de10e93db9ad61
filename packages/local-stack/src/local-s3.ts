import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  PutBucketCorsCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { DUMMY_ACCOUNT } from 's3rver/lib/models/account';
import type { ObjectEvent } from './bucket-notifications';
import { LOCAL_REGION, localAwsCredentials } from './dynamodb-local';
import { findFreePort } from './ports';

/**
 * A local S3-compatible server (s3rver) on loopback. Clients must use path-style addressing
 * (`forcePathStyle: true`): virtual-hosted bucket names do not resolve on 127.0.0.1.
 */

export interface LocalS3Options {
  port?: number;
  /** Keep objects in this directory; without it a temp dir is used and removed on stop. */
  directory?: string;
  buckets?: readonly string[];
  /** Log every request (s3rver's own logger). */
  verbose?: boolean;
}

export interface RunningLocalS3 {
  endpoint: string;
  port: number;
  /** Called with every object event (AWS-shaped `{ Records: [...] }`) the server emits. */
  onObjectEvent(listener: (event: ObjectEvent) => void): void;
  stop(): Promise<void>;
}

// Browsers upload with presigned URLs from the local web app; allow any origin locally.
const PERMISSIVE_CORS_XML = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

// s3rver knows only the access key S3RVER; accept the platform's dummy credentials too.
DUMMY_ACCOUNT.createKeyPair(localAwsCredentials.accessKeyId, localAwsCredentials.secretAccessKey);

export const startLocalS3 = async (options: LocalS3Options = {}): Promise<RunningLocalS3> => {
  const port = options.port ?? (await findFreePort());
  const temporary = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'kupala-s3-')));
  await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory,
    silent: options.verbose !== true,
    allowMismatchedSignatures: true,
    resetOnClose: false,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [PERMISSIVE_CORS_XML] })),
  });
  try {
    await server.run();
  } catch (error: unknown) {
    if (temporary) await rm(directory, { recursive: true, force: true });
    throw new Error(`Local S3 could not listen on 127.0.0.1:${port}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await server.close();
      if (temporary) await rm(directory, { recursive: true, force: true });
    })();
    return stopping;
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    onObjectEvent: (listener) => server.on('event', (event) => listener(event as ObjectEvent)),
    stop,
  };
};

/** S3 client configuration for the local server (path-style, dummy credentials). */
export const localS3ClientConfig = (endpoint: string): S3ClientConfig => ({
  endpoint,
  region: LOCAL_REGION,
  credentials: localAwsCredentials,
  forcePathStyle: true,
});

/** Creates buckets (with permissive CORS) through the S3 API; existing buckets are fine. */
export const createBuckets = async (endpoint: string, names: readonly string[]): Promise<void> => {
  const client = new S3Client(localS3ClientConfig(endpoint));
  try {
    await Promise.all(
      names.map(async (name) => {
        try {
          await client.send(new CreateBucketCommand({ Bucket: name }));
        } catch (error: unknown) {
          if (
            !(error instanceof BucketAlreadyOwnedByYou) &&
            (error as Error).name !== 'BucketAlreadyExists'
          ) {
            throw new Error(`Creating bucket ${name}: ${(error as Error).message}`, { cause: error });
          }
        }
        await client.send(
          new PutBucketCorsCommand({
            Bucket: name,
            CORSConfiguration: {
              CORSRules: [
                {
                  AllowedOrigins: ['*'],
                  AllowedMethods: ['GET', 'PUT', 'POST', 'HEAD', 'DELETE'],
                  AllowedHeaders: ['*'],
                  ExposeHeaders: ['ETag'],
                  MaxAgeSeconds: 3000,
                },
              ],
            },
          }),
        );
      }),
    );
  } finally {
    client.destroy();
  }
};
