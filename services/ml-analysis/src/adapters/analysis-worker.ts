import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type AsyncDispatcher, asyncInvoker } from '@kupala/trade-model';

/** A unit of an AutoML run: start it (fan out), or cross-validate one family (and fan in when last). */
export type AnalysisJob =
  | { kind: 'start'; sub: string; analysisId: string }
  | { kind: 'family'; sub: string; analysisId: string; model: string };

export type AnalysisWorker = AsyncDispatcher<AnalysisJob>;

/** Invokes the runAnalysis function asynchronously (Lambda queues the event and retries it on failure). */
export const buildAnalysisWorker = (lambda: LambdaClient, functionName: string): AnalysisWorker =>
  asyncInvoker<AnalysisJob>(lambda, functionName);
