import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type AsyncDispatcher, asyncInvoker } from '@kupala/trade-model';
import type { EodJob } from '../domain/eod-run';

export type EodWorker = AsyncDispatcher<EodJob>;

/** Invokes the buildEod function asynchronously (Lambda queues the event and retries it twice on failure). */
export const buildEodWorker = (lambda: LambdaClient, functionName: string): EodWorker =>
  asyncInvoker<EodJob>(lambda, functionName);
