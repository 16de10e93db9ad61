import { S3Client } from '@aws-sdk/client-s3';
import { getOptionalEnvVariable } from './config';

/**
 * The S3 client adapters are built with. The endpoint comes from the SDK's own configuration
 * (AWS_ENDPOINT_URL_S3 points it at the local S3 server, which only understands path-style addressing).
 */
export const createS3Client = (): S3Client =>
  new S3Client(getOptionalEnvVariable('AWS_ENDPOINT_URL_S3') === undefined ? {} : { forcePathStyle: true });
