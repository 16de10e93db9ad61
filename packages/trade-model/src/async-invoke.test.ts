import type { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { asyncInvoker } from './async-invoke';

describe('asyncInvoker', () => {
  it('queues the job as the event of an asynchronous invocation of the named function', async () => {
    const sent: InvokeCommand[] = [];
    const lambda = {
      send: async (command: InvokeCommand) => void sent.push(command),
    } as unknown as LambdaClient;
    await asyncInvoker<{ sub: string; n: number }>(lambda, 'kupala-test-worker').dispatch({
      sub: 'u-1',
      n: 2,
    });
    expect(sent).toHaveLength(1);
    const input = sent[0]?.input;
    expect({ name: input?.FunctionName, type: input?.InvocationType }).toEqual({
      name: 'kupala-test-worker',
      type: 'Event',
    });
    expect(JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array))).toEqual({ sub: 'u-1', n: 2 });
  });

  it('lets a refused invocation fail the caller (the request answers an error, nothing is queued)', async () => {
    const lambda = {
      send: async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
      },
    } as unknown as LambdaClient;
    await expect(asyncInvoker(lambda, 'kupala-test-worker').dispatch({})).rejects.toThrow('Rate exceeded');
  });
});
