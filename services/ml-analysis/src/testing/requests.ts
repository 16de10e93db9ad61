import { invoke, type TestRequest } from '@kupala/trade-model/testing';
import { buildHandler as buildCreate } from '../functions/createDataset/handler';
import type { MlAnalysisSideEffects } from '../sideEffects';

/** A request addressing one dataset, as API Gateway routes it. */
export const datasetRequest = (method: 'GET' | 'DELETE', datasetId: string, token: string): TestRequest => ({
  method,
  path: `/datasets/${datasetId}`,
  routePath: '/datasets/{datasetId}',
  pathParameters: { datasetId },
  token,
});

/** Creates a CSV dataset through the real create handler and answers its id. */
export const seedDataset = async (
  effects: () => MlAnalysisSideEffects,
  token: string,
  content: string,
): Promise<string> => {
  const response = await invoke(buildCreate(effects), {
    method: 'POST',
    path: '/datasets',
    token,
    body: { name: 'Seeded', format: 'csv', content },
  });
  if (response.statusCode !== 201) throw new Error(`seeding failed with ${response.statusCode}`);
  return (response.body as { datasetId: string }).datasetId;
};
