import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** Hands a job to a worker function without waiting for it. */
export interface AsyncDispatcher<Job> {
  dispatch(job: Job): Promise<void>;
}

/**
 * Invokes `functionName` asynchronously with the job as its event (InvocationType `Event`: Lambda queues the
 * event and retries it twice on failure; the caller's role needs `lambda:InvokeFunction` on that function only).
 * The worker validates the event it receives: an invocation is not an API, but it is checked all the same.
 */
export const asyncInvoker = <Job>(lambda: LambdaClient, functionName: string): AsyncDispatcher<Job> => ({
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

/** What Lambda sends an asynchronous function's on-failure destination: the original event and the last error. */
export interface FailedInvocation<Event> {
  requestPayload?: Partial<Event>;
  responsePayload?: { errorType?: string; errorMessage?: string };
}
