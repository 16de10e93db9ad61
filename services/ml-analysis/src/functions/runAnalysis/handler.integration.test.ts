import { tokenFor } from '@kupala/local-stack';
import { httpEvent, invoke, lambdaContext } from '@kupala/trade-model/testing';
import type { AnalysisJob } from '../../adapters/analysis-worker';
import type { MlAnalysisSideEffects } from '../../sideEffects';
import { queuedWorkerEffects } from '../../testing/analyses';
import { seedDataset } from '../../testing/requests';
import { buildHandler as buildCreateAnalysis } from '../createAnalysis/handler';
import { buildHandler as buildGetAnalysis } from '../getAnalysis/handler';
import { buildHandler as buildGetPredictions } from '../getAnalysisPredictions/handler';
import { buildHandler as buildRunAnalysis } from './handler';

const { queued, effects, runAnalysis, runQueued } = queuedWorkerEffects();
const createAnalysis = buildCreateAnalysis(effects);
const getAnalysis = buildGetAnalysis(effects);
const getPredictions = buildGetPredictions(effects);

// 60 rows: y = 2·x1 − x2 + 3 when group is "a", exactly. group is blank on every 7th row and "a" is its most
// frequent level, so the target of those rows is computed as "a": imputation inside each fold must restore it.
const rows = Array.from({ length: 60 }, (_, i) => {
  const x1 = (i * 7) % 13;
  const x2 = (i * 5) % 11;
  const group = i % 7 === 0 ? '' : i % 3 === 0 ? 'b' : 'a';
  const effective = group === '' ? 'a' : group;
  return { x1, x2, group, y: 2 * x1 - x2 + (effective === 'a' ? 3 : 0), label: x1 > 6 ? 'high' : 'low' };
});
const CSV = ['x1,x2,group,y,label', ...rows.map((r) => `${r.x1},${r.x2},${r.group},${r.y},${r.label}`)].join(
  '\n',
);

const post = (token: string, body: unknown) =>
  invoke(createAnalysis, { method: 'POST', path: '/analyses', token, body });
const read = (token: string, analysisId: string) =>
  invoke(getAnalysis, {
    method: 'GET',
    path: `/analyses/${analysisId}`,
    routePath: '/analyses/{analysisId}',
    pathParameters: { analysisId },
    token,
  });
const predictionsRequest = (token: string, analysisId: string, query?: Record<string, string>) => ({
  method: 'GET' as const,
  path: `/analyses/${analysisId}/predictions`,
  routePath: '/analyses/{analysisId}/predictions',
  pathParameters: { analysisId },
  ...(query === undefined ? {} : { query }),
  token,
});
const predictions = (token: string, analysisId: string) =>
  invoke(getPredictions, predictionsRequest(token, analysisId));

type AnalysisBody = {
  status: string;
  progress: { completed: number; total: number };
  leaderboard: { model: string; metrics: Record<string, number | null>; fitSeconds: number }[];
  bestModel: string | null;
  skipped: string[];
};

describe('AutoML runs against DynamoDB Local and the local S3 server', () => {
  const run = Date.now();
  let alice: string;
  let bob: string;
  let datasetId: string;
  beforeAll(async () => {
    alice = await tokenFor(`alice-analyses-${run}`);
    bob = await tokenFor(`bob-analyses-${run}`);
    datasetId = await seedDataset(effects, alice, CSV);
  });
  beforeEach(() => {
    queued.length = 0;
  });

  it('fans a regression run out per family, fans in through the table and serves sorted results and predictions', async () => {
    const created = await post(alice, {
      datasetId,
      target: 'y',
      task: 'regression',
      folds: 3,
      include: ['dummy', 'lr', 'dt'],
    });
    expect(created.statusCode).toBe(202);
    const { analysisId } = created.body as { analysisId: string };
    expect((await read(alice, analysisId)).body).toMatchObject({
      status: 'PENDING',
      progress: { completed: 0, total: 0 },
    });
    expect((await predictions(alice, analysisId)).statusCode).toBe(409);

    await runQueued(false); // start: marks RUNNING and queues three family jobs
    expect((await read(alice, analysisId)).body).toMatchObject({
      status: 'RUNNING',
      progress: { completed: 0, total: 3 },
    });
    expect(queued.map((job) => (job.kind === 'family' ? job.model : job.kind)).sort()).toEqual([
      'dt',
      'dummy',
      'lr',
    ]);
    await runQueued(true);

    const done = (await read(alice, analysisId)).body as AnalysisBody;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.progress).toEqual({ completed: 3, total: 3 });
    expect(done.leaderboard.map((entry) => entry.model)[0]).toBe('lr');
    // the target is exactly linear in x1, x2 and the one-hot group: least squares scores R2 = 1
    expect(done.leaderboard[0]?.metrics.R2).toBeCloseTo(1, 9);
    expect(Object.keys(done.leaderboard[0]?.metrics ?? {}).sort()).toEqual([
      'MAE',
      'MAPE',
      'MSE',
      'R2',
      'RMSE',
      'RMSLE',
    ]);
    const r2 = done.leaderboard.map((entry) => entry.metrics.R2 as number);
    expect(r2).toEqual([...r2].sort((a, b) => b - a));
    expect(done.bestModel).toBe('lr');

    const json = await predictions(alice, analysisId);
    expect(json.statusCode).toBe(200);
    const body = json.body as {
      model: string;
      predictions: { row: number; actual: number; predicted: number }[];
    };
    expect(body.model).toBe('lr');
    expect(body.predictions).toHaveLength(60);
    expect(body.predictions[4]).toMatchObject({ row: 5, actual: rows[4]?.y });
    expect(body.predictions[4]?.predicted).toBeCloseTo(rows[4]?.y as number, 8);
    const csv = (await getPredictions(
      httpEvent(predictionsRequest(alice, analysisId, { format: 'csv' })),
      lambdaContext(),
    )) as {
      headers: Record<string, string>;
      body: string;
    };
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('row,actual,predicted,cvPredicted,probability');
    expect(lines).toHaveLength(61);
    expect(lines[5]?.startsWith(`5,${rows[4]?.y},`)).toBe(true);
  });

  it('counts a redelivered family once and lets exactly one finisher complete the run', async () => {
    const created = await post(alice, {
      datasetId,
      target: 'label',
      task: 'classification',
      folds: 3,
      include: ['nb', 'dummy'],
    });
    const { analysisId } = created.body as { analysisId: string };
    await runQueued(false);
    const [first, second] = queued.splice(0, queued.length);
    // the first family runs twice (an at-least-once redelivery), then the second
    await runAnalysis(first as AnalysisJob);
    await runAnalysis(first as AnalysisJob);
    expect((await read(alice, analysisId)).body).toMatchObject({
      status: 'RUNNING',
      progress: { completed: 1, total: 2 },
    });
    await runAnalysis(second as AnalysisJob);
    await runAnalysis(second as AnalysisJob);
    const done = (await read(alice, analysisId)).body as AnalysisBody;
    expect(done).toMatchObject({ status: 'SUCCEEDED', progress: { completed: 2, total: 2 } });
    expect(done.leaderboard.map((entry) => entry.model).sort()).toEqual(['dummy', 'nb']);
    expect(done.leaderboard.find((entry) => entry.model === 'dummy')?.metrics.AUC).toBe(0.5);
  });

  it('ends a run whose budget is spent with every family skipped', async () => {
    const created = await post(alice, {
      datasetId,
      target: 'y',
      task: 'regression',
      budgetSeconds: 10,
      include: ['lr'],
    });
    const { analysisId } = created.body as { analysisId: string };
    await runQueued(false);
    const late = (): MlAnalysisSideEffects => {
      const current = effects();
      return Object.defineProperties(current, {
        now: { value: () => new Date(Date.now() + 60_000).toISOString() },
      });
    };
    for (const job of queued.splice(0, queued.length)) await buildRunAnalysis(late)(job);
    expect((await read(alice, analysisId)).body).toMatchObject({
      status: 'SUCCEEDED',
      leaderboard: [],
      bestModel: null,
      skipped: ['lr'],
    });
    expect((await predictions(alice, analysisId)).statusCode).toBe(409);
  });

  it("refuses another user's dataset and analysis with 404, and a target the dataset cannot serve with 400", async () => {
    expect((await post(bob, { datasetId, target: 'y', task: 'regression' })).statusCode).toBe(404);
    const created = await post(alice, { datasetId, target: 'y', task: 'regression', include: ['dummy'] });
    const { analysisId } = created.body as { analysisId: string };
    expect((await read(bob, analysisId)).statusCode).toBe(404);
    expect((await predictions(bob, analysisId)).statusCode).toBe(404);
    const missing = await post(alice, { datasetId, target: 'nope', task: 'regression' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toMatchObject({ error: { details: [{ path: 'target' }] } });
    expect((await post(alice, { datasetId, target: 'label', task: 'regression' })).statusCode).toBe(400);
    expect((await post(alice, { datasetId, target: 'y', task: 'regression', folds: 1 })).statusCode).toBe(
      400,
    );
    expect((await post(alice, { datasetId, target: 'y', task: 'regression', owner: 'bob' })).statusCode).toBe(
      400,
    );
  });
});
