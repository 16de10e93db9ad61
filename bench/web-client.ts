import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
// Relative imports: the root package does not depend on the workspace packages by name.
import { freePlatformPorts, LocalPlatform } from '../packages/local-stack/src';
import { buildWebClient } from '../packages/web-client/src/build';
import { launchHeadlessChromium } from '../tests/support/headless-chromium';
import { localApi } from './local-api';
import { describeMachine } from './machine';
import { percentile } from './stats';
import { againstTarget, markdownTable, type ResultRow } from './table';

/** Issue 11: initial JS ≤ 150 KB gzip; time to the first positions render is measured, not targeted. */
export const WEB = { gzipTargetKiB: 150, positions: 50, loads: 7 } as const;

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The SPA's entry script and styles as a browser loads them first: built like `dev` builds them, gzip -9. */
export const webBundleRows = async (): Promise<ResultRow[]> => {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'kupala-bench-web-'));
  try {
    const built = await buildWebClient(outDir);
    const script = readFileSync(path.join(outDir, built.entryScript.path));
    const styles = built.files.filter((file) => file.endsWith('.css'));
    const cssBytes = styles.reduce((total, file) => total + readFileSync(path.join(outDir, file)).length, 0);
    const cssGzip = styles.reduce(
      (total, file) => total + gzipSync(readFileSync(path.join(outDir, file)), { level: 9 }).length,
      0,
    );
    const gzipBytes = gzipSync(script, { level: 9 }).length;
    return [
      {
        measurement: 'web client initial JS (gzip -9)',
        subject: built.entryScript.path,
        value: `${kib(gzipBytes)} (minified ${kib(script.length)})`,
        target: `<= ${WEB.gzipTargetKiB} KB`,
        result: againstTarget(gzipBytes, WEB.gzipTargetKiB * 1024),
      },
      {
        measurement: 'web client CSS (gzip -9)',
        subject: styles.join(', '),
        value: `${kib(cssGzip)} (minified ${kib(cssBytes)})`,
        target: '-',
        result: 'info',
      },
      {
        measurement: 'web client build (esbuild)',
        subject: 'buildWebClient',
        value: `${built.ms} ms`,
        target: '-',
        result: 'info',
      },
    ];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
};

/**
 * Time to first positions render: a page with the browser cache disabled opens the positions page of a portfolio
 * of WEB.positions priced positions on the local platform, signed in; measured from navigation start to the
 * last position row in the DOM (config fetch, bundle, GET …/positions and the WebSocket subscribe all included).
 */
export const firstRenderRows = async (log: (line: string) => void): Promise<ResultRow[]> => {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'kupala-bench-web-platform-'));
  const platform = new LocalPlatform({
    ports: await freePlatformPorts(),
    services: ['trades', 'positions', 'market-data'],
    stateDir,
    seed: false,
    logError: log,
  });
  const browser = await launchHeadlessChromium();
  try {
    const running = await platform.start();
    const token = await running.issuer.signAccessToken('bench-web');
    const api = localApi(running.endpoints.http, token);
    const portfolio = await api('POST', '/portfolios', {
      name: 'Bench',
      baseCurrency: 'USD',
      lotMethod: 'FIFO',
    });
    const portfolioId = String(portfolio.portfolioId);
    const symbols = Array.from({ length: WEB.positions }, (_, index) => `W${String(index).padStart(3, '0')}`);
    await api('POST', `/portfolios/${portfolioId}/trades/batch`, {
      trades: symbols.map((symbol, index) => ({
        type: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol, currency: 'USD' },
        quantity: String(index + 1),
        price: '10.25',
        currency: 'USD',
        tradeDate: '2026-03-02',
      })),
    });
    for (const symbol of symbols)
      await api('PUT', `/instruments/${symbol}/prices`, {
        currency: 'USD',
        prices: [{ date: '2026-03-03', close: '11.5' }],
      });
    const last = symbols.at(-1) ?? '';
    const url = `${running.endpoints.web}/#/p/${portfolioId}/positions`;
    const timings: number[] = [];
    // One context: @sparticuz/chromium runs --single-process, where closing a context can end the browser.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(
      `try { sessionStorage.setItem('kupala.accessToken', ${JSON.stringify(token)}) } catch {}`,
    );
    for (let load = 0; load <= WEB.loads; load += 1) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const started = performance.now();
      await page.goto(url);
      await page.locator(`tr[data-symbol="${last}"]`).waitFor({ timeout: 60_000 });
      const elapsed = performance.now() - started;
      if (load > 0) timings.push(elapsed); // the first load warms the handlers' cold starts
      await page.close();
    }
    return [
      {
        measurement: `time to first positions render (median of ${WEB.loads}, browser cache disabled)`,
        subject: `${WEB.positions} positions, local platform`,
        value: `${percentile(timings, 50).toFixed(0)} ms (max ${Math.max(...timings).toFixed(0)} ms)`,
        target: '-',
        result: 'info',
      },
    ];
  } finally {
    await browser.close();
    await platform.stop().catch(() => platform.killNow());
    rmSync(stateDir, { recursive: true, force: true });
  }
};

/** `npx tsx bench/web-client.ts`: only the web client's figures. */
if (require.main === module) {
  const log = (line: string) => process.stderr.write(`bench: web: ${line}\n`);
  (async () => {
    const rows = [...(await webBundleRows()), ...(await firstRenderRows(log))];
    process.stdout.write(`## Kupala bench (web client) — ${describeMachine()}\n\n${markdownTable(rows)}\n`);
  })().catch((error: unknown) => {
    process.stderr.write(
      `bench web crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
