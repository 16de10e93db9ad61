import type { LambdaClient } from '@aws-sdk/client-lambda';
import { MAX_FOLLOWED_PAIRS, MAX_FOLLOWED_SYMBOLS } from '@kupala/trade-model';
import { buildMarketDataFollower, followEvents } from './market-data-follower';

const symbols = (count: number) => Array.from({ length: count }, (_, index) => `S${index}`);
const pairs = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ base: `C${index}`, quote: 'USD' }));

/** A Lambda client that records each Invoke's function, type and event, failing the calls numbered in `failing`. */
const recordingLambda = (failing: number[] = []) => {
  const calls: { FunctionName: string; InvocationType: string; event: { symbols: string[] } }[] = [];
  const lambda = {
    send: async (command: {
      input: { FunctionName: string; InvocationType: string; Payload: Uint8Array };
    }) => {
      const { FunctionName, InvocationType, Payload } = command.input;
      calls.push({ FunctionName, InvocationType, event: JSON.parse(new TextDecoder().decode(Payload)) });
      if (failing.includes(calls.length)) throw new Error('TooManyRequestsException');
      return { StatusCode: 202 };
    },
  } as unknown as LambdaClient;
  return { lambda, calls };
};

describe("positions' hand-off of held instruments to market-data", () => {
  it('splits a long list into events within the schema bounds, nothing lost or repeated', () => {
    // 2,500 symbols → 3 events (1000, 1000, 500); 250 pairs → 200 + 50 in the first two
    expect(MAX_FOLLOWED_SYMBOLS).toBe(1000);
    expect(MAX_FOLLOWED_PAIRS).toBe(200);
    const events = followEvents({ symbols: symbols(2500), pairs: pairs(250) });
    expect(events.map((event) => [event.symbols.length, event.pairs.length])).toEqual([
      [1000, 200],
      [1000, 50],
      [500, 0],
    ]);
    expect(events.flatMap((event) => event.symbols)).toEqual(symbols(2500));
    expect(events.flatMap((event) => event.pairs)).toEqual(pairs(250));
    expect(followEvents({ symbols: [], pairs: [] })).toEqual([]);
  });

  it('invokes the function asynchronously per event, and a failed invoke neither rejects nor stops the rest', async () => {
    const { lambda, calls } = recordingLambda([1]);
    const follower = buildMarketDataFollower(lambda, 'kupala-market-data-test-followHeldSymbols');

    await expect(follower.follow({ symbols: symbols(1500), pairs: [] })).resolves.toBeUndefined();

    expect(calls.map((call) => [call.FunctionName, call.InvocationType, call.event.symbols.length])).toEqual([
      ['kupala-market-data-test-followHeldSymbols', 'Event', 1000],
      ['kupala-market-data-test-followHeldSymbols', 'Event', 500],
    ]);
  });
});
