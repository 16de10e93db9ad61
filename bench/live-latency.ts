import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
// Relative imports: the root package does not depend on the workspace packages by name.
import { connectLive, freePlatformPorts, LocalPlatform, type ServiceName } from '../packages/local-stack/src';
import { localApi } from './local-api';
import { percentile } from './stats';

export interface LiveLatencyOptions {
  /** Trades timed (bounded: each books one trade and waits for its push). */
  samples: number;
  warmup: number;
  log: (line: string) => void;
}

export interface LiveLatencyReport {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The POST's own round trip (part of every sample). */
  postP50Ms: number;
  startSeconds: number;
}

/**
 * Trade POST → WebSocket `positions` push on the local platform (`pnpm dev` in this process, on free ports):
 * one user subscribed to a portfolio books BUYs one at a time over HTTP; each sample is the time from
 * sending the POST to receiving the positions message that carries the new quantity. The path is the real
 * one: gateway → offline trades handler → DynamoDB Local → stream poll → positions consumer → publisher →
 * @connections → socket.
 */
export const measureLiveLatency = async (options: LiveLatencyOptions): Promise<LiveLatencyReport> => {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-live-'));
  const services: ServiceName[] = ['trades', 'positions', 'market-data'];
  const platform = new LocalPlatform({
    ports: await freePlatformPorts(),
    services,
    stateDir,
    seed: false,
    logError: (line) => options.log(line),
  });
  const stopOnSignal = () => {
    platform.killNow();
    process.exit(130);
  };
  process.once('SIGINT', stopOnSignal);
  try {
    const started = performance.now();
    const running = await platform.start();
    const startSeconds = (performance.now() - started) / 1000;
    const token = await running.issuer.signAccessToken('bench-live');
    const api = localApi(running.endpoints.http, token);
    const portfolio = await api('POST', '/portfolios', {
      name: 'Bench',
      baseCurrency: 'USD',
      lotMethod: 'FIFO',
    });
    const portfolioId = String(portfolio.portfolioId);
    const socket = await connectLive(running.endpoints.ws, token);
    socket.send({ action: 'subscribe', portfolioId });
    await socket.next((message) => message.type === 'positions', { timeoutMs: 30_000 });
    const latencies: number[] = [];
    const posts: number[] = [];
    for (let index = 0; index < options.warmup + options.samples; index += 1) {
      const from = socket.received.length;
      const quantity = String(index + 1);
      const sent = performance.now();
      await api('POST', `/portfolios/${portfolioId}/trades`, {
        type: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol: 'BNCH', currency: 'USD' },
        quantity: '1',
        price: '10',
        currency: 'USD',
        tradeDate: '2026-03-02',
      });
      const answered = performance.now();
      const pushed = await socket.next(
        (message) =>
          Array.isArray(message.positions) &&
          message.positions.some(
            (position: { instrument?: { symbol?: string }; quantity?: string }) =>
              position.instrument?.symbol === 'BNCH' && Number(position.quantity) === Number(quantity),
          ),
        { from, timeoutMs: 30_000 },
      );
      if (index >= options.warmup) {
        latencies.push(pushed.receivedAt - sent);
        posts.push(answered - sent);
      }
    }
    await socket.close();
    return {
      samples: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: Math.max(...latencies),
      postP50Ms: percentile(posts, 50),
      startSeconds,
    };
  } finally {
    process.removeListener('SIGINT', stopOnSignal);
    await platform.stop().catch(() => platform.killNow());
    rmSync(stateDir, { recursive: true, force: true });
  }
};
