import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { EodJob } from '../domain/eod-run';

export interface EodWorker {
  dispatch(job: EodJob): Promise<void>;
}

/** Invokes the buildEod function asynchronously (Lambda queues the event and retries it twice on failure). */
export const buildEodWorker = (lambda: LambdaClient, functionName: string): EodWorker => ({
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
