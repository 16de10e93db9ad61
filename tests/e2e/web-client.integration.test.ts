import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ListTablesCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { loadOrCreateLocalIssuer, localSubFor } from '../../packages/local-stack/src/issuer';
import {
  freePlatformPorts,
  type PlatformPorts,
  platformPortVariables,
} from '../../packages/local-stack/src/local-platform';
import { type DevProcess, spawnDev } from '../support/dev-process';
import { launchHeadlessChromium } from '../support/headless-chromium';

/**
 * The web client in a real headless Chromium against the real local platform (`pnpm dev` on free ports,
 * trades + positions + market-data + ml-analysis): sign in, create a portfolio, book trades through the form
 * (with an API error shown at its field), watch positions change live from trades and prices booked through the
 * API in the background, see the allocation chart, import a file with a row error, meet the amend conflict,
 * price a what-if sale on a position's lots, read the performance chart with its drawdown, survive a WebSocket
 * dropped by the server, and run the AutoML lab (upload, a validation error, a small analysis, the leaderboard,
 * predictions downloaded). Screenshots (desktop, 375 px, dark once) go to artifacts/e2e/ (git-ignored).
 */

jest.setTimeout(300_000);

const repoRoot = join(__dirname, '..', '..');
const artifacts = join(repoRoot, 'artifacts', 'e2e');
// 1 234.50 is shown with a narrow no-break space between thousands (decimal-display).
const NNBSP = '\u202f';

describe('web client in headless Chromium', () => {
  let stateDir: string;
  let child: ChildProcess;
  let dev: DevProcess;
  let endpoints: { http: string; ws: string; web: string };
  let browser: Browser;
  let page: Page;
  let token: string;
  let portfolioId: string;
  let ports: PlatformPorts;
  /** Every text frame the page's WebSockets received (to see `analysis.progress` arrive). */
  const frames: string[] = [];
  let socketsOpened = 0;
  const today = new Date().toISOString().slice(0, 10);

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${endpoints.http}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  };
  const cellText = (symbol: string, column: number) =>
    page.locator(`tr[data-symbol="${symbol}"] td`).nth(column).textContent();

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'kupala-web-e2e-'));
    const endpointsFile = join(stateDir, 'endpoints.json');
    ports = await freePlatformPorts();
    dev = spawnDev(
      ['--no-seed', '--only', 'trades,positions,market-data,ml-analysis'],
      { ...platformPortVariables(ports), KUPALA_STATE_DIR: stateDir },
      endpointsFile,
    );
    child = dev.child;
    const [, launched] = await Promise.all([dev.ready(240_000), launchHeadlessChromium()]);
    browser = launched;
    endpoints = JSON.parse(await readFile(endpointsFile, 'utf8'));
    token = await (await loadOrCreateLocalIssuer(join(stateDir, 'issuer'))).signAccessToken('e2e-web');
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (dialog) => void dialog.accept());
    page.on('websocket', (socket) => {
      socketsOpened += 1;
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string') frames.push(payload);
      });
    });
    await mkdir(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
      process.kill(-child.pid, 'SIGINT');
      await Promise.race([exited, sleep(30_000, undefined, { ref: false })]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    await rm(stateDir, { recursive: true, force: true });
  });

  it('signs in through the local-only sign-in page and starts with no portfolio', async () => {
    await page.goto(endpoints.web);
    await page.getByLabel('User name').fill('e2e-web');
    await page.getByRole('button', { name: 'Sign in as e2e-web' }).click();

    await page.getByText('No portfolio yet').waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
  });

  it('creates a portfolio and opens its live positions', async () => {
    await page.getByLabel('Name').fill('Web E2E');
    await page.getByRole('button', { name: 'Create portfolio' }).click();

    await page.getByRole('heading', { name: 'Web E2E' }).waitFor();
    await page.getByText('No open positions.').waitFor();
    portfolioId = /#\/p\/([^/]+)\//.exec(page.url())?.[1] ?? '';
    expect(portfolioId).not.toBe('');
  });

  it('books trades through the form, showing an API error next to its field', async () => {
    await page.getByRole('link', { name: 'Trades' }).click();
    const form = page.getByTestId('trade-form');
    await form.getByLabel('Type').selectOption('DEPOSIT');
    await form.getByLabel('Amount').fill('10000');
    await form.getByLabel('Trade date').fill('2026-02-02');
    await form.getByRole('button', { name: 'Book trade' }).click();
    await page.getByText('DEPOSIT of 2026-02-02 saved').waitFor();

    await form.getByLabel('Type').selectOption('BUY');
    await form.getByLabel('Symbol').fill('AAPL');
    await form.getByLabel('Quantity').fill('10');
    await form.getByLabel('Price').fill('190.5.0');
    await form.getByLabel('Fees').fill('1.00');
    await form.getByLabel('Trade date').fill('2026-02-03');
    await form.getByRole('button', { name: 'Book trade' }).click();
    // the API's detail for `price` is rendered beside the price input, which is marked invalid
    await expect(form.locator('#trade-price-error').textContent()).resolves.not.toBe('');
    await expect(form.getByLabel('Price').getAttribute('aria-invalid')).resolves.toBe('true');

    await form.getByLabel('Price').fill('190.50');
    await form.getByRole('button', { name: 'Book trade' }).click();
    await page.getByText('BUY of 2026-02-03 saved').waitFor();
    await page.getByTestId('trades-table').locator('tbody tr', { hasText: 'AAPL' }).waitFor();
    await expect(page.getByTestId('trades-table').locator('tbody tr').count()).resolves.toBe(2);
  });

  it('updates positions live, without a reload, from a trade and prices booked through the API', async () => {
    await page.getByRole('link', { name: 'Positions' }).click();
    await page.locator('tr[data-symbol="AAPL"]').waitFor();
    // (browser-side code as strings: the repo's tsconfig has no DOM library)
    await page.evaluate('window.notReloaded = true');

    await api('POST', `/portfolios/${portfolioId}/trades`, {
      type: 'BUY',
      instrument: { assetClass: 'EQUITY', symbol: 'NVDA', currency: 'USD' },
      quantity: '3',
      price: '120.25',
      currency: 'USD',
      fees: '0.75',
      tradeDate: '2026-02-03',
    });
    await page.locator('tr[data-symbol="NVDA"]').waitFor({ timeout: 30_000 });
    await api('PUT', '/instruments/AAPL/prices', {
      currency: 'USD',
      prices: [{ date: today, close: '201.10' }],
    });
    await api('PUT', '/instruments/NVDA/prices', {
      currency: 'USD',
      prices: [{ date: today, close: '125' }],
    });
    // AAPL 10 × 201.10 = 2011.00; NVDA 3 × 125 = 375.00
    await page.locator('tr[data-symbol="NVDA"]', { hasText: /375\.00*\sUSD/ }).waitFor({ timeout: 30_000 });
    await page
      .locator('tr[data-symbol="AAPL"]', { hasText: new RegExp(`2${NNBSP}011\\.00*\\sUSD`) })
      .waitFor({ timeout: 30_000 });

    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(await cellText('NVDA', 0)).toMatch(/^3(\.0+)?$/);
    // cash: 10000 − (10 × 190.50 + 1.00) − (3 × 120.25 + 0.75) = 10000 − 1906.00 − 361.50 = 7732.50
    await expect(page.locator('tr[data-currency="USD"]').textContent()).resolves.toMatch(
      new RegExp(`7${NNBSP}732\\.50*\\sUSD`),
    );
    // unrealized AAPL: 2011.00 − 1906.00 = 105.00, shown as a gain
    await expect(
      page.locator('tr[data-symbol="AAPL"] td:nth-child(6) span').getAttribute('class'),
    ).resolves.toBe('gain');
    await expect(page.getByTestId('connection').textContent()).resolves.toContain('Live');
  });

  it('draws the allocation chart with exact shares', async () => {
    const chart = page.getByTestId('allocation-chart');
    await expect(chart.locator('rect').count()).resolves.toBe(2);
    // gross 2011.00 + 375.00 = 2386.00; 2011 / 2386 = 84.28…% -> 84.3; 375 / 2386 = 15.71…% -> 15.7
    await expect(chart.getAttribute('aria-label')).resolves.toBe(
      'Allocation by instrument: AAPL 84.3%, NVDA 15.7%',
    );
    await page.getByLabel('By asset class').check();
    await expect(chart.getAttribute('aria-label')).resolves.toBe('Allocation by asset class: EQUITY 100.0%');
    await page.getByLabel('By instrument').check();

    await page.screenshot({ path: join(artifacts, 'positions-desktop.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(artifacts, 'positions-dark-desktop.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(artifacts, 'positions-375.png'), fullPage: true });
    // at phone width nothing but the tables' own scroll areas is wider than the screen
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('imports a file: the dry run lists a row error by line, then a clean file is checked and imported', async () => {
    await page.getByRole('link', { name: 'Import' }).click();
    const header = 'Date,Type,Symbol,Qty,Price,Ccy';
    await page.locator('input[type=file]').setInputFiles({
      name: 'broker.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n2026-02-04,BUY,MSFT,2,400,USD\n2026-02-05,BUY,MSFT,two,400,USD\n`),
    });
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    const errors = page.getByTestId('row-errors');
    await errors.waitFor({ timeout: 30_000 });
    // line 1 is the header, so the bad quantity is on line 3
    await expect(errors.locator('tbody tr').first().locator('td').first().textContent()).resolves.toBe('3');
    await expect(page.getByRole('button', { name: 'Import for real' }).isDisabled()).resolves.toBe(true);
    await page.screenshot({ path: join(artifacts, 'import-row-error-desktop.png'), fullPage: true });

    await page.locator('input[type=file]').setInputFiles({
      name: 'broker-fixed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}\n2026-02-04,BUY,MSFT,2,400,USD\n`),
    });
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    await page.getByText('The file checks out').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Import for real' }).click();
    await page.getByRole('heading', { name: 'Import: SUCCEEDED' }).waitFor({ timeout: 30_000 });
    await expect(page.locator('progress').getAttribute('value')).resolves.toBe('100');

    await page.getByRole('link', { name: 'Positions' }).click();
    await page.locator('tr[data-symbol="MSFT"]').waitFor({ timeout: 30_000 });
  });

  it('explains the version conflict when the trade changed after the form opened', async () => {
    await page.getByRole('link', { name: 'Trades' }).click();
    await page.getByRole('button', { name: 'Amend trade of 2026-02-02' }).click();
    const form = page.getByTestId('trade-form');
    await form.getByRole('heading', { name: 'Amend trade (version 1)' }).waitFor();
    // meanwhile, another tab amends the same deposit
    const trades = (await api('GET', `/portfolios/${portfolioId}/trades?type=DEPOSIT`)) as {
      items: { tradeId: string; version: number }[];
    };
    const deposit = trades.items[0];
    await api('PUT', `/portfolios/${portfolioId}/trades/${deposit?.tradeId}`, {
      type: 'DEPOSIT',
      amount: '12000',
      currency: 'USD',
      tradeDate: '2026-02-02',
      version: deposit?.version,
    });

    await form.getByLabel('Amount').fill('11000');
    await form.getByRole('button', { name: 'Save amendment' }).click();

    await form.getByText('Someone changed this trade after you opened it').waitFor();
    await page.screenshot({ path: join(artifacts, 'amend-conflict-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(artifacts, 'trades-375.png'), fullPage: true });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  });

  it("shows a position's lots and prices a what-if sale under every lot method", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    // a second AAPL lot, so the methods differ: lots 10 @ 190.60 (1906.00 with the fee) and 5 @ 210.00
    await api('POST', `/portfolios/${portfolioId}/trades`, {
      type: 'BUY',
      instrument: { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' },
      quantity: '5',
      price: '210',
      currency: 'USD',
      tradeDate: '2026-02-06',
    });
    await page.getByRole('link', { name: 'Positions' }).click();
    await page.locator('tr[data-symbol="AAPL"] td[data-col="quantity"]', { hasText: /^15(\.0+)?$/ }).waitFor({
      timeout: 30_000,
    });
    await page.locator('tr[data-symbol="AAPL"]').getByRole('link', { name: 'AAPL' }).click();
    await page.getByRole('heading', { name: 'AAPL: open lots' }).waitFor();
    await page.getByTestId('lots-table').locator('tbody tr').nth(1).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('lots-table').locator('tbody tr').count()).resolves.toBe(2);

    const form = page.getByTestId('what-if-form');
    await form.getByLabel('Quantity to sell').fill('12');
    await form.getByLabel('Sale price').fill('200');
    await form.getByRole('button', { name: 'Compare lot methods' }).click();
    const gain = (method: string) =>
      page.locator(`tr[data-row="realizedGain"] td[data-method="${method}"]`).textContent();
    await page.getByTestId('what-if-table').waitFor({ timeout: 30_000 });
    // proceeds 12 × 200 = 2400.00 under every method
    // FIFO: 10 × 190.60 + 2 × 210 = 1906.00 + 420.00 = 2326.00 -> 74.00
    // LIFO and HIFO: 5 × 210 + 7 × 190.60 = 1050.00 + 1334.20 = 2384.20 -> 15.80
    // AVERAGE: (1906.00 + 1050.00) / 15 × 12 = 2956.00 × 12 / 15 = 2364.80 -> 35.20
    await expect(gain('FIFO')).resolves.toMatch(/^74\.00*\sUSD$/);
    await expect(gain('LIFO')).resolves.toMatch(/^15\.80*\sUSD$/);
    await expect(gain('HIFO')).resolves.toMatch(/^15\.80*\sUSD$/);
    await expect(gain('AVERAGE')).resolves.toMatch(/^35\.20*\sUSD$/);
    await page.screenshot({ path: join(artifacts, 'lots-what-if-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(artifacts, 'lots-what-if-375.png'), fullPage: true });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('draws net liquidation history with its drawdown band on the Performance tab', async () => {
    // a portfolio of its own with hand-picked closes of an instrument nobody else holds:
    // 02-02 deposit 10000, buy 10 KUPA @ 100 (cash 9000), close 100: V 10000, r 0 (the day's own flow)
    // 02-03 close 110: V 9000 + 1100 = 10100, r = 10100 / 10000 − 1 = 0.01
    // 02-04 close  90: V  9900, r = 9900 / 10100 − 1 = −0.0198019801…
    // 02-05 close 105: V 10050, r = 10050 / 9900 − 1 = 0.0151515…
    // 02-06 close 105: V 10050, r 0
    // index 1, 1.01, 0.99, 1.005, 1.005: TWR 0.50%, deepest drawdown 0.99 / 1.01 − 1 = −1.98%
    const created = (await api('POST', '/portfolios', {
      name: 'Perf E2E',
      baseCurrency: 'USD',
      lotMethod: 'FIFO',
    })) as { portfolioId: string };
    const perf = created.portfolioId;
    await api('POST', `/portfolios/${perf}/trades`, {
      type: 'DEPOSIT',
      amount: '10000',
      currency: 'USD',
      tradeDate: '2026-02-02',
    });
    await api('POST', `/portfolios/${perf}/trades`, {
      type: 'BUY',
      instrument: { assetClass: 'EQUITY', symbol: 'KUPA', currency: 'USD' },
      quantity: '10',
      price: '100',
      currency: 'USD',
      tradeDate: '2026-02-02',
    });
    const closes = ['100', '110', '90', '105', '105'];
    const dates = ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06'];
    await api('PUT', '/instruments/KUPA/prices', {
      currency: 'USD',
      prices: dates.map((date, index) => ({ date, close: closes[index] })),
    });
    await api('POST', `/portfolios/${perf}/eod`, { from: '2026-02-02', to: '2026-02-06' });
    // the snapshots are built asynchronously: wait until the last day is there
    for (let tries = 0; tries < 60; tries += 1) {
      const history = (await api('GET', `/portfolios/${perf}/history`)) as { items: { date: string }[] };
      if (history.items.some((day) => day.date === '2026-02-06')) break;
      await sleep(500);
    }

    // a new document, so the portfolio list is read again (a hash change alone keeps the old list)
    await page.goto(`${endpoints.web}/#/p/${perf}/performance`);
    await page.reload();
    await page.getByTestId('history-chart').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('history-table').locator('tbody tr').count()).resolves.toBe(5);
    const figures = page.getByTestId('performance-figures');
    await expect(figures.locator('[data-figure="twr"] dd').textContent()).resolves.toBe('0.50%');
    await expect(figures.locator('[data-figure="maxDrawdown"] dd').textContent()).resolves.toBe('-1.98%');
    const label = await page.getByTestId('history-chart').getAttribute('aria-label');
    expect(label).toContain('low 9900');
    expect(label).toContain('high 10100');
    // five points: one move then four lines; the drawdown band is a closed path
    await expect(page.getByTestId('value-path').getAttribute('d')).resolves.toMatch(/^M[^ML]+( L[^ML]+){4}$/);
    await expect(page.getByTestId('drawdown-path').getAttribute('d')).resolves.toMatch(/Z$/);

    await page.screenshot({ path: join(artifacts, 'performance-desktop.png'), fullPage: true });
    // the theme toggle once: auto -> dark
    await page.getByRole('button', { name: /^Theme: auto/ }).click();
    // the theme is applied by an effect after the render: wait for it on the root element
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await page.screenshot({ path: join(artifacts, 'performance-dark-desktop.png'), fullPage: true });
    await page.getByRole('button', { name: /^Theme: dark/ }).click();
    await page.getByRole('button', { name: /^Theme: light/ }).click();
    await page.getByRole('button', { name: /^Theme: auto/ }).waitFor();
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(artifacts, 'performance-375.png'), fullPage: true });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('reconnects after the server drops the WebSocket, resubscribes and shows a later update', async () => {
    await page.goto(`${endpoints.web}/#/p/${portfolioId}/positions`);
    await page.locator('tr[data-symbol="AAPL"]').waitFor({ timeout: 30_000 });
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 30_000 });
    // every text the connection badge shows from now on
    await page.evaluate(`(() => {
      const badge = document.querySelector('[data-testid="connection"]');
      window.connectionLog = [];
      new MutationObserver(() => window.connectionLog.push(badge.textContent)).observe(badge, {
        childList: true, subtree: true, characterData: true,
      });
    })()`);
    const opened = socketsOpened;

    // the server side closes every open connection of the user, as API Gateway does on DeleteConnection
    const dynamo = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${ports.dynamodb}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const tables = (await dynamo.send(new ListTablesCommand({}))).TableNames ?? [];
    const connectionsTable = tables.find((name) => /-connections$/.test(name));
    const connections = await dynamo.send(
      new QueryCommand({
        TableName: connectionsTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `USER#${localSubFor('e2e-web')}#CONNECTIONS` } },
      }),
    );
    dynamo.destroy();
    const ids = (connections.Items ?? []).map((item) => item.sk?.S ?? '');
    expect(ids.length).toBeGreaterThan(0);
    const callback = endpoints.ws.replace(/^ws/, 'http');
    for (const id of ids) {
      const dropped = await fetch(`${callback}/@connections/${encodeURIComponent(id)}`, { method: 'DELETE' });
      // 204 for the open one; a connection the server already forgot answers 410
      expect([204, 410]).toContain(dropped.status);
    }

    // (polled from here: the site's CSP refuses the string functions waitForFunction would evaluate)
    const deadline = Date.now() + 60_000;
    while (!((await page.evaluate('window.connectionLog.join()')) as string).includes('Reconnecting')) {
      if (Date.now() > deadline) throw new Error('the connection never showed Reconnecting');
      await sleep(50);
    }
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 60_000 });
    const log = (await page.evaluate('window.connectionLog')) as string[];
    const reconnecting = log.findIndex((text) => text.includes('Reconnecting'));
    expect(log.slice(reconnecting).some((text) => text.includes('Live'))).toBe(true);
    expect(socketsOpened).toBeGreaterThan(opened);
    await page.evaluate('window.notReloaded = true');

    // an update after the reconnect reaches the page only if the new socket subscribed again
    await api('POST', `/portfolios/${portfolioId}/trades`, {
      type: 'BUY',
      instrument: { assetClass: 'EQUITY', symbol: 'AMZN', currency: 'USD' },
      quantity: '4',
      price: '180',
      currency: 'USD',
      tradeDate: '2026-02-09',
    });
    await page.locator('tr[data-symbol="AMZN"]').waitFor({ timeout: 30_000 });
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(await cellText('AMZN', 0)).toMatch(/^4(\.0+)?$/);
  });

  it('runs the AutoML lab: upload, validation errors shown, a small analysis, the leaderboard, predictions', async () => {
    await page.getByRole('link', { name: 'AutoML lab' }).click();
    await page.getByRole('heading', { name: 'AutoML lab: datasets' }).waitFor();
    await page.getByText('No dataset yet').waitFor();
    const upload = page.getByTestId('dataset-upload');

    // a ragged file: the API's detail is shown at the file field
    await upload.getByLabel('Data file').setInputFiles({
      name: 'ragged.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('x,y\n1,3\n2\n'),
    });
    await upload.getByRole('button', { name: 'Upload dataset' }).click();
    await upload.locator('#dataset-content-error', { hasText: /\S/ }).waitFor({ timeout: 30_000 });
    await expect(upload.getByLabel('Data file').getAttribute('aria-invalid')).resolves.toBe('true');

    // y = 2x + 1 exactly, z = 7x mod 5 (noise the model may ignore); 24 rows
    let csv = 'x,z,y\n';
    for (let x = 1; x <= 24; x += 1) csv += `${x},${(7 * x) % 5},${2 * x + 1}\n`;
    await upload.getByLabel('Data file').setInputFiles({
      name: 'linear.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await upload.getByLabel('Dataset name').fill('Linear e2e');
    await upload.getByRole('button', { name: 'Upload dataset' }).click();

    await page.getByRole('heading', { name: 'Dataset Linear e2e' }).waitFor({ timeout: 30_000 });
    const facts = page.getByTestId('dataset-facts');
    await expect(facts.locator('div', { hasText: 'Rows' }).locator('dd').textContent()).resolves.toBe('24');
    await expect(page.getByTestId('dataset-schema').locator('tbody tr').allTextContents()).resolves.toEqual([
      'xnumber',
      'znumber',
      'ynumber',
    ]);
    // the preview holds the first 20 rows; its first row is x 1, z 7 mod 5 = 2, y 3
    await expect(page.getByTestId('dataset-preview').locator('tbody tr').count()).resolves.toBe(20);
    await expect(
      page.getByTestId('dataset-preview').locator('tbody tr').first().locator('td').allTextContents(),
    ).resolves.toEqual(['1', '2', '3']);
    await page.screenshot({ path: join(artifacts, 'lab-dataset-desktop.png'), fullPage: true });

    const form = page.getByTestId('analysis-form');
    await expect(form.getByLabel('Target column').inputValue()).resolves.toBe('y');
    await expect(form.getByLabel('Task').inputValue()).resolves.toBe('regression');
    // one fold is refused by the API: its detail is shown beside the folds field
    await form.getByLabel('Cross-validation folds').fill('1');
    await form.getByRole('button', { name: 'Start analysis' }).click();
    await form.locator('#analysis-folds-error', { hasText: '>=2' }).waitFor({ timeout: 30_000 });
    await expect(form.getByLabel('Cross-validation folds').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );

    await form.getByLabel('Cross-validation folds').fill('3');
    for (const model of ['lr', 'dt', 'dummy']) await form.getByLabel(model, { exact: true }).check();
    await form.getByRole('button', { name: 'Start analysis' }).click();

    await page.getByRole('heading', { name: 'Run: SUCCEEDED' }).waitFor({ timeout: 120_000 });
    const analysisId = /#\/lab\/analyses\/([^/]+)$/.exec(page.url())?.[1] ?? '';
    expect(analysisId).not.toBe('');
    await expect(page.getByTestId('analysis-run').locator('progress').getAttribute('value')).resolves.toBe(
      '100',
    );
    // the run's progress was pushed over the WebSocket (the bar's source; polling is only the fallback)
    expect(frames.some((frame) => frame.includes('"analysis.progress"') && frame.includes(analysisId))).toBe(
      true,
    );

    const table = page.getByTestId('leaderboard-table');
    const order = () =>
      table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-model')));
    // the status may arrive over the WebSocket before the leaderboard is read: wait for its three rows
    await table.locator('tbody tr').nth(2).waitFor({ timeout: 30_000 });
    // R2, best first: the exact line is learnt exactly by linear regression (R2 1 on every fold); the dummy
    // model predicts the training mean, which explains nothing of a held-out fold (R2 at or below 0)
    await expect(order()).resolves.toEqual(['lr', 'dt', 'dummy']);
    await expect(table.locator('thead th[aria-sort="descending"]').textContent()).resolves.toBe('R2');
    // columns: #, model, MAE, MSE, RMSE, R2 (the 6th cell) …
    await expect(table.locator('tr[data-model="lr"] td').nth(4).textContent()).resolves.toBe('1.0000');
    const chart = page.getByTestId('leaderboard-chart');
    await expect(chart.locator('rect').count()).resolves.toBe(3);
    const bar = async (model: string) => {
      const rect = chart.locator(`rect[data-model="${model}"]`);
      return { x: Number(await rect.getAttribute('x')), width: Number(await rect.getAttribute('width')) };
    };
    const [lr, dummy] = [await bar('lr'), await bar('dummy')];
    // lr's bar is the longest and starts at zero; the dummy's negative R2 sits left of zero (or has no length)
    expect(lr.width).toBeGreaterThan(dummy.width);
    expect(dummy.x + dummy.width).toBeLessThanOrEqual(lr.x + 1e-9);
    await page.screenshot({ path: join(artifacts, 'lab-leaderboard-desktop.png'), fullPage: true });

    // sorting by an error metric: lowest first, and the chart follows the chosen metric
    await table.getByRole('button', { name: 'RMSE' }).click();
    await expect(table.locator('thead th[aria-sort="ascending"]').textContent()).resolves.toBe('RMSE');
    await expect(page.getByLabel('Metric').inputValue()).resolves.toBe('RMSE');
    await expect(order()).resolves.toEqual(['lr', 'dt', 'dummy']);
    await expect(chart.getAttribute('aria-label')).resolves.toBe('RMSE by model, best first');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download predictions (CSV)' }).click(),
    ]);
    const saved = await readFile((await download.path()) ?? '', 'utf8');
    const lines = saved.trim().split(/\r?\n/);
    expect(lines[0]).toBe('row,actual,predicted,cvPredicted,probability');
    expect(lines).toHaveLength(25);
    expect(download.suggestedFilename()).toBe(`predictions-${analysisId}.csv`);

    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(artifacts, 'lab-leaderboard-375.png'), fullPage: true });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.getByRole('link', { name: '← Dataset' }).click();
    await page.getByRole('link', { name: '← Datasets' }).click();
    await page.getByTestId('datasets-table').waitFor();
    await page.screenshot({ path: join(artifacts, 'lab-datasets-375.png'), fullPage: true });
  });
});
