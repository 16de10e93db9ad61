import { createServer, type Server } from 'node:http';

/**
 * A stand-in for Lambda's Invoke API for in-process integration tests: an asynchronous (`Event`) invocation is
 * accepted with 202, as Lambda queues it, and nothing runs (the tests run a worker themselves when they mean
 * to). What a route that hands work to a worker sees, without AWS and without running the work twice.
 */
export const startLambdaInvokeStub = async (): Promise<{ endpoint: string; stop: () => Promise<void> }> => {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const accepted =
        request.method === 'POST' &&
        /^\/2015-03-31\/functions\/[^/]+\/invocations/.test(request.url ?? '') &&
        request.headers['x-amz-invocation-type'] === 'Event';
      response.writeHead(accepted ? 202 : 400, { 'content-type': 'application/json' });
      response.end(accepted ? '' : JSON.stringify({ message: 'only Event invocations are accepted here' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
