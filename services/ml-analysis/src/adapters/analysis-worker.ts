import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** A unit of an AutoML run: start it (fan out), or cross-validate one family (and fan in when last). */
export type AnalysisJob =
  | { kind: 'start'; sub: string; analysisId: string }
  | { kind: 'family'; sub: string; analysisId: string; model: string };

export interface AnalysisWorker {
  dispatch(job: AnalysisJob): Promise<void>;
}

/** Invokes the runAnalysis function asynchronously (Lambda queues the event and retries it on failure). */
export const buildAnalysisWorker = (lambda: LambdaClient, functionName: string): AnalysisWorker => ({
  async dispatch(job) {
    await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(job)),
      }),
    );
  },
});
