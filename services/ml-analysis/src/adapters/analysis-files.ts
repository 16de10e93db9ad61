import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MissingDatasetFileError } from './dataset-files';

// Owner's sub first, like dataset files: another user's analysis id addresses nothing of theirs.
const analysisPrefix = (sub: string, analysisId: string) => `${sub}/analyses/${analysisId}/`;

/** S3 access for an analysis's outputs: each family's out-of-fold predictions and the best model's predictions. */
export const buildAnalysisFiles = (s3: S3Client, bucket: string) => {
  const put = async (key: string, body: string, contentType = 'application/json') => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  };
  const read = async (key: string) => {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (Body === undefined) throw new MissingDatasetFileError(key);
    return Body.transformToString('utf-8');
  };
  return {
    putOutOfFold: (sub: string, analysisId: string, model: string, values: unknown) =>
      put(`${analysisPrefix(sub, analysisId)}out-of-fold/${model}.json`, JSON.stringify(values)),
    readOutOfFold: async (sub: string, analysisId: string, model: string): Promise<unknown> =>
      JSON.parse(await read(`${analysisPrefix(sub, analysisId)}out-of-fold/${model}.json`)),
    putPredictions: (sub: string, analysisId: string, predictions: unknown) =>
      put(`${analysisPrefix(sub, analysisId)}predictions.json`, JSON.stringify(predictions)),
    readPredictions: async (sub: string, analysisId: string): Promise<unknown> =>
      JSON.parse(await read(`${analysisPrefix(sub, analysisId)}predictions.json`)),
  };
};

export type AnalysisFiles = ReturnType<typeof buildAnalysisFiles>;
