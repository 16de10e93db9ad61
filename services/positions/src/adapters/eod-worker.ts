import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type AsyncDispatcher, asyncInvoker } from '@kupala/trade-model';
import type { EodBatch, EodJob } from '../domain/eod-run';

/** Queues one portfolio's job (POST …/eod). */
export type EodWorker = AsyncDispatcher<EodJob>;
/** Queues a batch of portfolios (the nightly run). */
export type EodBatchWorker = AsyncDispatcher<EodBatch>;

/** Invokes the buildEod function asynchronously (Lambda queues the event and retries it twice on failure). */
export const buildEodWorker = (
  lambda: LambdaClient,
  functionName: string,
): AsyncDispatcher<EodJob | EodBatch> => asyncInvoker<EodJob | EodBatch>(lambda, functionName);
