import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { loadOrCreateLocalIssuer } from '../../packages/local-stack/src/issuer';
import { freePlatformPorts, platformPortVariables } from '../../packages/local-stack/src/local-platform';
import { type DevProcess, spawnDev } from '../support/dev-process';
import { launchHeadlessChromium } from '../support/headless-chromium';

/**
 * The web client in a real headless Chromium against the real local platform (`pnpm dev` on free ports,
 * trades + positions + market-data): sign in, create a portfolio, book trades through the form (with an API
 * error shown at its field), watch positions change live from trades and prices booked through the API in
 * the background, see the allocation chart, import a file with a row error, and meet the amend conflict.
 * Screenshots (desktop and 375 px) go to artifacts/e2e/ (git-ignored).
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
    const ports = await freePlatformPorts();
    dev = spawnDev(
      ['--no-seed', '--only', 'trades,positions,market-data'],
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
});
