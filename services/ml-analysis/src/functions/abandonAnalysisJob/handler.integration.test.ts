import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
import type { AnalysisJob, AnalysisWorker } from '../../adapters/analysis-worker';
import { ABANDONED_START_ERROR } from '../../domain/analysis-run';
import type { MlAnalysisSideEffects } from '../../sideEffects';
import { queuedWorkerEffects } from '../../testing/analyses';
import { seedDataset } from '../../testing/requests';
import { buildHandler as buildCreateAnalysis } from '../createAnalysis/handler';
import { buildHandler as buildGetAnalysis } from '../getAnalysis/handler';
import { buildHandler as buildRunAnalysis } from '../runAnalysis/handler';
import { buildHandler as buildAbandon } from './handler';

const { queued, effects, runAnalysis, runQueued } = queuedWorkerEffects();
const abandon = buildAbandon(effects);

// y = 2·x1 − x2 exactly: linear regression scores R2 = 1 and leads the board
const CSV = [
  'x1,x2,y',
  ...Array.from({ length: 40 }, (_, i) => {
    const x1 = (i * 7) % 13;
    const x2 = (i * 5) % 11;
    return `${x1},${x2},${2 * x1 - x2}`;
  }),
].join('\n');

/** What Lambda hands the on-failure destination once it gave up on `job` (the shape of its invocation record). */
const givenUp = (job: AnalysisJob) => ({
  requestPayload: job,
  responsePayload: { errorType: 'Runtime.OutOfMemory', errorMessage: 'signal: killed' },
});

type Body = {
  status: string;
  progress: { completed: number; total: number };
  leaderboard: { model: string }[];
  bestModel: string | null;
  skipped: string[];
  error?: string;
};

describe('a run Lambda gave up on never stays RUNNING (DynamoDB Local and the local S3 server)', () => {
  const run = Date.now();
  let token: string;
  let datasetId: string;
  beforeAll(async () => {
    token = await tokenFor(`abandon-${run}`);
    datasetId = await seedDataset(effects, token, CSV);
  });
  beforeEach(() => {
    queued.length = 0;
  });
  const start = async (include: string[], on: () => MlAnalysisSideEffects = effects) => {
    const created = await invoke(buildCreateAnalysis(on), {
      method: 'POST',
      path: '/analyses',
      token,
      body: { datasetId, target: 'y', task: 'regression', folds: 3, include },
    });
    expect(created.statusCode).toBe(202);
    return (created.body as { analysisId: string }).analysisId;
  };
  const read = async (analysisId: string) => {
    const response = await invoke(buildGetAnalysis(effects), {
      method: 'GET',
      path: `/analyses/${analysisId}`,
      routePath: '/analyses/{analysisId}',
      pathParameters: { analysisId },
      token,
    });
    expect(response.statusCode).toBe(200);
    return response.body as Body;
  };
  const take = (model: string) => {
    const index = queued.findIndex((job) => job.kind === 'family' && job.model === model);
    expect(index).toBeGreaterThanOrEqual(0);
    return queued.splice(index, 1)[0] as AnalysisJob;
  };

  it('counts a given-up family as skipped, first or last in, completes the run once, and ignores a redelivery', async () => {
    const analysisId = await start(['dummy', 'lr', 'dt']);
    await runQueued(false); // start: RUNNING, three family jobs queued
    const dt = take('dt');

    // dt crashed on every attempt before anything else finished: counted, the run goes on
    await abandon(givenUp(dt));
    expect(await read(analysisId)).toMatchObject({ status: 'RUNNING', progress: { completed: 1, total: 3 } });

    await runQueued(true); // dummy and lr: the last one in completes the run
    const done = await read(analysisId);
    expect(done).toMatchObject({
      status: 'SUCCEEDED',
      progress: { completed: 3, total: 3 },
      bestModel: 'lr',
    });
    expect(done.leaderboard.map((entry) => entry.model)).toEqual(['lr', 'dummy']);
    expect(done.skipped).toEqual(['dt']);

    // the destination redelivered, and dt's own job arriving late: nothing counted twice, nothing reopened
    await abandon(givenUp(dt));
    await runAnalysis(dt);
    expect(await read(analysisId)).toEqual(done);
  });

  it('completes the run from the destination when the given-up family was the last one in', async () => {
    const analysisId = await start(['dummy', 'lr']);
    await runQueued(false);
    const lr = take('lr');
    await runQueued(false); // dummy
    expect(await read(analysisId)).toMatchObject({ status: 'RUNNING', progress: { completed: 1, total: 2 } });

    await abandon(givenUp(lr));

    const done = await read(analysisId);
    expect(done).toMatchObject({ status: 'SUCCEEDED', bestModel: 'dummy', skipped: ['lr'] });
    expect(done.leaderboard.map((entry) => entry.model)).toEqual(['dummy']);
  });

  it('ends the run FAILED when its start was given up, before or after it queued families', async () => {
    const pending = await start(['dummy']);
    const startJob = queued.splice(0, 1)[0] as AnalysisJob;
    await abandon(givenUp(startJob));
    expect(await read(pending)).toMatchObject({ status: 'FAILED', error: ABANDONED_START_ERROR });
    await runAnalysis(startJob); // a late attempt: nothing starts
    expect(queued).toEqual([]);
    expect((await read(pending)).status).toBe('FAILED');

    const running = await start(['dummy', 'lr']);
    await runQueued(false); // RUNNING, two families queued
    await abandon(givenUp({ kind: 'start', sub: startJob.sub, analysisId: running }));
    await runQueued(true); // the queued families find the run FAILED and stop
    expect(await read(running)).toMatchObject({
      status: 'FAILED',
      progress: { completed: 0, total: 2 },
      error: ABANDONED_START_ERROR,
    });
  });

  it('ends the run FAILED when a family cannot be queued, instead of waiting for it for ever', async () => {
    const refusing: AnalysisWorker = {
      async dispatch(job) {
        if (job.kind === 'family' && job.model === 'lr') throw new Error('TooManyRequestsException');
        queued.push(job);
      },
    };
    const withRefusals = (): MlAnalysisSideEffects => ({ ...effects(), worker: refusing });
    const analysisId = await start(['dummy', 'lr'], withRefusals);
    const startJob = queued.splice(0, 1)[0] as AnalysisJob;

    await buildRunAnalysis(withRefusals)(startJob);

    expect(await read(analysisId)).toMatchObject({
      status: 'FAILED',
      error: '1 of 2 model families could not be started; run the analysis again',
    });
    await runQueued(true); // dummy was queued: it stops
    expect((await read(analysisId)).status).toBe('FAILED');
  });

  it('ignores an event that is not an analysis job', async () => {
    await expect(abandon({ requestPayload: { kind: 'family', sub: 'x' } as never })).resolves.toBeUndefined();
    await expect(abandon({})).resolves.toBeUndefined();
  });
});
