import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_REGION, localAwsCredentials } from '../../packages/local-stack/src/dynamodb-local';
import { loadOrCreateLocalIssuer } from '../../packages/local-stack/src/issuer';
import {
  ConnectionRefusedError,
  connectLive,
  type LiveClient,
} from '../../packages/local-stack/src/live-client';
import { freePlatformPorts, platformPortVariables } from '../../packages/local-stack/src/local-platform';
import { isPortFree } from '../../packages/local-stack/src/ports';
import { decimal } from '../../packages/trade-model/src/decimal';
import {
  TRACKED_SYMBOLS_PARTITION_KEY,
  trackedSymbolSortKey,
} from '../../packages/trade-model/src/market-data-keys';
import { developerEnvironment } from '../support/dev-process';

/**
 * `pnpm dev` end to end: the real CLI on free ports (so a developer's running dev is untouched), requests
 * through the gateway to serverless-offline handlers on DynamoDB Local, then Ctrl-C leaves nothing behind.
 */

// Start-up compiles every service with esbuild and starts a JVM: allow for a busy 2-core machine.
jest.setTimeout(300_000);

const repoRoot = join(__dirname, '..', '..');

/** Distinct free ports for everything dev binds, exported the way a developer would override them. */
const freePorts = async (): Promise<{ env: Record<string, string>; dynamodb: number; gateway: number }> => {
  const ports = await freePlatformPorts();
  return { env: platformPortVariables(ports), dynamodb: ports.dynamodb, gateway: ports.gateway };
};

/** Every process below `root` (children of children …), from /proc. */
const descendantsOf = (root: number): number[] => {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const queue = [root];
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    // A zombie is dead for our purposes.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('pnpm dev (local platform end to end)', () => {
  let stateDir: string;
  let endpointsFile: string;
  let child: ChildProcess;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let output = '';
  let ports: Awaited<ReturnType<typeof freePorts>>;
  let baseUrl: string;
  let wsUrl: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'kupala-e2e-'));
    endpointsFile = join(stateDir, 'endpoints.json');
    ports = await freePorts();
    child = spawn(join(repoRoot, 'node_modules', '.bin', 'tsx'), ['packages/local-stack/src/cli/dev.ts'], {
      cwd: repoRoot,
      env: {
        ...developerEnvironment(),
        ...ports.env,
        KUPALA_STATE_DIR: stateDir,
        KUPALA_ENDPOINTS_FILE: endpointsFile,
      },
      // Its own process group, like a terminal's foreground job: Ctrl-C goes to the whole group.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    exited = new Promise((resolveExit) =>
      child.once('exit', (code, signal) => resolveExit({ code, signal })),
    );
    const deadline = Date.now() + 240_000;
    while (!existsSync(endpointsFile)) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`dev exited before it was ready:\n${output}`);
      }
      if (Date.now() > deadline) throw new Error(`dev was not ready after 240 s:\n${output}`);
      await sleep(250);
    }
    ({ http: baseUrl, ws: wsUrl } = JSON.parse(await readFile(endpointsFile, 'utf8')));
  });

  afterAll(async () => {
    if (
      child !== undefined &&
      child.pid !== undefined &&
      child.exitCode === null &&
      child.signalCode === null
    ) {
      for (const pid of descendantsOf(child.pid)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      process.kill(-child.pid, 'SIGKILL');
    }
    await rm(stateDir, { recursive: true, force: true });
  });

  it('writes endpoints.json with the gateway, WebSocket and web client URLs', async () => {
    expect(JSON.parse(await readFile(endpointsFile, 'utf8'))).toEqual({
      http: `http://127.0.0.1:${ports.gateway}`,
      ws: `ws://127.0.0.1:${ports.env.KUPALA_POSITIONS_WEBSOCKET_PORT}`,
      web: `http://127.0.0.1:${ports.env.KUPALA_WEB_PORT}`,
    });
    expect(output).toContain(`Web        http://127.0.0.1:${ports.env.KUPALA_WEB_PORT}`);
  });

  it('answers GET /health and GET /openapi.json through the gateway', async () => {
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const openapi = await fetch(`${baseUrl}/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(openapi.headers.get('content-type')).toMatch(/json/);
    expect(await openapi.json()).toMatchObject({ openapi: expect.stringMatching(/^3\./) });
  });

  it('refuses GET /portfolios without a token and answers unknown routes with the 404 envelope', async () => {
    const unauthenticated = await fetch(`${baseUrl}/portfolios`);
    expect(unauthenticated.status).toBe(401);
    const unknown = await fetch(`${baseUrl}/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Route not found' } });
  });

  it('round-trips a portfolio for a user with a token from the same issuer as `pnpm token`', async () => {
    const issuer = await loadOrCreateLocalIssuer(join(stateDir, 'issuer'));
    const headers = { authorization: `Bearer ${await issuer.signAccessToken('e2e-user')}` };
    const created = await fetch(`${baseUrl}/portfolios`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'E2E', baseCurrency: 'USD', lotMethod: 'FIFO' }),
    });
    expect(created.status).toBe(201);
    const portfolio = (await created.json()) as { portfolioId: string };
    expect(portfolio).toMatchObject({ name: 'E2E', baseCurrency: 'USD', lotMethod: 'FIFO' });
    const read = await fetch(`${baseUrl}/portfolios/${portfolio.portfolioId}`, { headers });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(portfolio);
  });

  it('answers a clean 400 for any top-level JSON value through serverless-offline (falsy ones included)', async () => {
    const issuer = await loadOrCreateLocalIssuer(join(stateDir, 'issuer'));
    const headers = {
      authorization: `Bearer ${await issuer.signAccessToken('e2e-user')}`,
      'content-type': 'application/json',
    };
    for (const body of ['0', 'false', '0.0', '"abc"', '[]', 'null']) {
      const response = await fetch(`${baseUrl}/portfolios`, { method: 'POST', headers, body });
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      const error = ((await response.json()) as { error: { message: string } }).error;
      expect({ body, message: error.message }).toEqual({ body, message: 'Request is invalid' });
    }
  });

  it('seeded the demo user with the Demo portfolio and its trades', async () => {
    const issuer = await loadOrCreateLocalIssuer(join(stateDir, 'issuer'));
    const headers = { authorization: `Bearer ${await issuer.signAccessToken('demo')}` };
    const list = (await (await fetch(`${baseUrl}/portfolios`, { headers })).json()) as {
      items: { portfolioId: string; name: string }[];
    };
    const demo = list.items.find((item) => item.name === 'Demo');
    expect(demo).toBeDefined();
    const trades = (await (
      await fetch(`${baseUrl}/portfolios/${demo?.portfolioId}/trades`, { headers })
    ).json()) as {
      items: { type: string }[];
    };
    expect(trades.items.map((trade) => trade.type).sort()).toEqual(['BUY', 'BUY', 'DEPOSIT', 'SELL']);
  });

  const tokenOf = async (username: string) =>
    (await loadOrCreateLocalIssuer(join(stateDir, 'issuer'))).signAccessToken(username);
  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  type LivePosition = Record<string, string | null> & { instrument: { symbol: string } };
  const positionOf = (message: Record<string, unknown>, symbol: string): LivePosition | undefined =>
    (message.positions as LivePosition[] | undefined)?.find(
      (position) => position.instrument.symbol === symbol,
    );
  const equal = (actual: unknown, expected: string) =>
    typeof actual === 'string' && decimal(actual).eq(decimal(expected));

  it('shows the demo user’s positions, cash and realized P&L right after start, with manual prices stored', async () => {
    const token = await tokenOf('demo');
    const list = await api(token, 'GET', '/portfolios');
    const demo = (list.body.items as { portfolioId: string; name: string }[]).find(
      (item) => item.name === 'Demo',
    );

    const { status, body } = await api(token, 'GET', `/portfolios/${demo?.portfolioId}/positions`);
    // the demo also has a year of simulated closes: read the last few days, where the manual ones are
    const recent = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const history = await api(token, 'GET', `/instruments/AAPL/history?from=${recent}`);

    expect(status).toBe(200);
    // AAPL: bought 10 @ 190.50 + 1.00 fee = 1906.00; FIFO sale of 4 takes 4/10 of it (762.40), leaving 6
    // shares costing 1143.60; realized = 4 × 195.25 − 1.00 − 762.40 = 17.60. MSFT: 5 @ 420 + 1.00 = 2101.00.
    // Cash: 10000 − 1906.00 − 2101.00 + 780.00 = 6773.00.
    const aapl = positionOf(body, 'AAPL');
    const msft = positionOf(body, 'MSFT');
    expect(equal(aapl?.quantity, '6')).toBe(true);
    expect(equal(aapl?.costBasis, '1143.60')).toBe(true);
    expect(equal(aapl?.realizedPnl, '17.60')).toBe(true);
    expect(equal(msft?.quantity, '5')).toBe(true);
    expect(equal(msft?.costBasis, '2101.00')).toBe(true);
    const cash = body.cash as { currency: string; balance: string }[];
    expect(equal(cash.find((entry) => entry.currency === 'USD')?.balance, '6773.00')).toBe(true);
    // the seeded closes, the latest of which is the price the positions are valued at
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain('201.1');
  });

  it('built a year of EOD history for the demo portfolio over simulated daily closes (issue 9)', async () => {
    const token = await tokenOf('demo');
    const list = await api(token, 'GET', '/portfolios');
    const demo = (list.body.items as { portfolioId: string; name: string }[]).find(
      (item) => item.name === 'Demo',
    );
    const history = await api(
      token,
      'GET',
      `/portfolios/${demo?.portfolioId}/history?from=2026-01-01&limit=500`,
    );
    expect(history.status).toBe(200);
    const days = history.body.items as { date: string; netLiquidation: string | null }[];
    // every business day from 2026-01-01 (the business day before the first trade) to the last one before now
    const expected: string[] = [];
    for (
      let day = new Date('2026-01-01T00:00:00Z');
      day <= new Date();
      day.setUTCDate(day.getUTCDate() + 1)
    ) {
      if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) expected.push(day.toISOString().slice(0, 10));
    }
    expect(days.map((day) => day.date)).toEqual(expected);
    // valued every day (simulated closes), so the values move
    expect(days.every((day) => day.netLiquidation !== null)).toBe(true);
    expect(new Set(days.map((day) => day.netLiquidation)).size).toBeGreaterThan(100);
    const performance = await api(
      token,
      'GET',
      `/portfolios/${demo?.portfolioId}/performance?from=2026-01-01`,
    );
    expect(performance.status).toBe(200);
    expect(performance.body.twr).toEqual(expect.stringMatching(/^-?\d+\.\d{10}$/));
    expect(Number(performance.body.volatility)).toBeGreaterThan(0);
    expect(Number(performance.body.maxDrawdown)).toBeLessThan(0);
  });

  it('profiles a dataset uploaded through its presigned form: the local S3 event reaches the function (issue 10)', async () => {
    const token = await tokenOf('e2e-uploader');
    const created = await api(token, 'POST', '/datasets', { name: 'Uploaded', format: 'csv' });
    expect(created.status).toBe(201);
    const { datasetId, uploadUrl, uploadFields } = created.body as {
      datasetId: string;
      uploadUrl: string;
      uploadFields: Record<string, string>;
    };
    expect(created.body.status).toBe('PENDING');
    const form = new FormData();
    for (const [name, value] of Object.entries(uploadFields)) form.append(name, value);
    // 3 rows: a = 1..3 (number), b = x/y/z (string)
    form.append('file', new Blob(['a,b\n1,x\n2,y\n3,z\n']));
    expect((await fetch(uploadUrl, { method: 'POST', body: form })).status).toBeLessThan(300);
    // nothing but the bucket's notification (forwarded by the platform) can make it READY
    let dataset = (await api(token, 'GET', `/datasets/${datasetId}`)).body;
    for (let tries = 0; dataset.status === 'PENDING' && tries < 60; tries += 1) {
      await sleep(500);
      dataset = (await api(token, 'GET', `/datasets/${datasetId}`)).body;
    }
    expect(dataset).toMatchObject({
      status: 'READY',
      rows: 3,
      columns: [
        { name: 'a', type: 'number' },
        { name: 'b', type: 'string' },
      ],
      preview: [
        ['1', 'x'],
        ['2', 'y'],
        ['3', 'z'],
      ],
    });
  });

  it('lets the demo user build the market-universe dataset from the seeded closes (issue 10)', async () => {
    const token = await tokenOf('demo');
    const { status, body } = await api(token, 'POST', '/datasets', {
      name: 'Universe',
      source: 'market-universe',
    });

    expect(status).toBe(201);
    expect(body.format).toBe('csv');
    expect((body.columns as { name: string }[]).map((column) => column.name)).toEqual([
      'symbol',
      'date',
      'ret_5d',
      'ret_21d',
      'ret_63d',
      'ret_252d',
      'vol_21d',
      'vol_63d',
      'maxdd_252d',
      'mom_12_1',
      'fwd_ret_21d',
    ]);
    // The default list: 20 ETFs (not the refresh list, so not the demo's AAPL and MSFT). The startup refresh
    // backfills each with two years of simulated feed closes (731 days back, 522 weekdays); SPY, QQQ, TLT and GLD
    // also have the demo's 1096 days of manual weekday closes. A month end needs 252 weekdays before it (~353
    // calendar days after the first close) and 21 after (~29 days before today): the 4 seeded ones 1096 − 353 − 29 ≈
    // 714 days ≈ 23.5 months, 23 or 24 month ends each (92 to 96 rows); the other 16: 731 − 353 − 29 ≈ 349 days ≈
    // 11.5 months, 11 or 12 each (176 to 192): 268 to 288 in all; a day of slack either side of a month end at most
    // moves one per symbol.
    expect(body.rows).toBeGreaterThanOrEqual(260);
    expect(body.rows).toBeLessThanOrEqual(296);
    const detail = await api(token, 'GET', `/datasets/${body.datasetId as string}`);
    // symbols in order: DBC first (the refresh list's AAPL would sort before it)
    expect((detail.body.preview as string[][])[0]?.[0]).toBe('DBC');
  });

  it('puts an instrument on the refresh list once someone holds it, nobody asking for a quote (issue 9)', async () => {
    const token = await tokenOf('e2e-holder');
    const created = await api(token, 'POST', '/portfolios', {
      name: 'Held',
      baseCurrency: 'USD',
      lotMethod: 'FIFO',
    });
    const portfolioId = String(created.body.portfolioId);
    const booked = await api(token, 'POST', `/portfolios/${portfolioId}/trades`, {
      type: 'BUY',
      instrument: { assetClass: 'EQUITY', symbol: 'HELDEE', currency: 'USD' },
      quantity: '1',
      price: '10',
      currency: 'USD',
      tradeDate: '2026-02-03',
    });
    expect(booked.status).toBe(201);
    // Trades stream → positions consumer → market-data's followHeldSymbols through its serverless-offline Lambda
    // endpoint → the REFRESH#SYMBOLS entry the scheduled refresh reads
    const marketData = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: `http://127.0.0.1:${ports.dynamodb}`,
        region: LOCAL_REGION,
        credentials: localAwsCredentials,
      }),
    );
    const entry = async () =>
      (
        await marketData.send(
          new GetCommand({
            TableName: 'kupala-local-market-data',
            Key: { pk: TRACKED_SYMBOLS_PARTITION_KEY, sk: trackedSymbolSortKey('HELDEE') },
          }),
        )
      ).Item;
    let found = await entry();
    for (let waited = 0; found === undefined && waited < 30_000; waited += 500) {
      await sleep(500);
      found = await entry();
    }
    marketData.destroy();
    expect(found).toMatchObject({ symbol: 'HELDEE', entity: 'REFRESH_ENTRY' });
  });

  describe('live positions over WebSocket', () => {
    const sockets: LiveClient[] = [];
    afterAll(async () => {
      await Promise.all(sockets.map((socket) => socket.close()));
    });
    const open = async (token: string) => {
      const socket = await connectLive(wsUrl, token);
      sockets.push(socket);
      return socket;
    };

    it('answers subscribe with a snapshot and pushes the change after a trade booked over HTTP; another user gets an error and nothing else', async () => {
      // Arrange: Alice's portfolio with cash; Alice and Bob connected
      const alice = await tokenOf('e2e-live-alice');
      const created = await api(alice, 'POST', '/portfolios', {
        name: 'Live',
        baseCurrency: 'USD',
        lotMethod: 'FIFO',
      });
      const portfolioId = String(created.body.portfolioId);
      await api(alice, 'POST', `/portfolios/${portfolioId}/trades`, {
        type: 'DEPOSIT',
        amount: '5000',
        currency: 'USD',
        tradeDate: '2026-02-02',
      });
      const aliceSocket = await open(alice);
      const bobSocket = await open(await tokenOf('e2e-live-bob'));

      // Act 1: both subscribe to Alice's portfolio
      aliceSocket.send({ action: 'subscribe', portfolioId });
      bobSocket.send({ action: 'subscribe', portfolioId });
      const snapshot = await aliceSocket.next((message) => message.type === 'positions', {
        timeoutMs: 20_000,
      });
      const refusal = await bobSocket.next(() => true, { timeoutMs: 20_000 });

      // Assert 1
      expect(snapshot.message).toMatchObject({ type: 'positions', portfolioId, part: 1, parts: 1 });
      expect(refusal.message).toEqual({
        type: 'error',
        code: 'NOT_FOUND',
        message: 'Portfolio not found',
        portfolioId,
      });

      // Act 2: Alice books a BUY over HTTP
      const from = aliceSocket.received.length;
      const booked = await api(alice, 'POST', `/portfolios/${portfolioId}/trades`, {
        type: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol: 'NVDA', currency: 'USD' },
        quantity: '3',
        price: '120.25',
        currency: 'USD',
        fees: '0.75',
        tradeDate: '2026-02-03',
      });
      const update = await aliceSocket.next((message) => positionOf(message, 'NVDA') !== undefined, {
        from,
        timeoutMs: 20_000,
      });

      // Assert 2: 3 × 120.25 + 0.75 = 361.50; cash 5000 − 361.50 = 4638.50; Bob saw nothing more
      expect(booked.status).toBe(201);
      const nvda = positionOf(update.message, 'NVDA');
      expect(equal(nvda?.quantity, '3')).toBe(true);
      expect(equal(nvda?.costBasis, '361.50')).toBe(true);
      const cash = update.message.cash as { currency: string; balance: string }[];
      expect(equal(cash.find((entry) => entry.currency === 'USD')?.balance, '4638.50')).toBe(true);
      await sleep(1000);
      expect(bobSocket.received).toHaveLength(1);
    });

    it('refuses a connection whose token was signed by another key', async () => {
      const forger = await loadOrCreateLocalIssuer(await mkdtemp(join(tmpdir(), 'kupala-forger-')));
      const forged = await forger.signAccessToken('e2e-live-alice');

      await expect(connectLive(wsUrl, forged)).rejects.toBeInstanceOf(ConnectionRefusedError);
    });
  });

  it('stops everything on Ctrl-C: the whole process tree exits and the ports are free again', async () => {
    const pid = child.pid ?? -1;
    const tree = descendantsOf(pid);
    expect(tree.length).toBeGreaterThan(2);
    process.kill(-pid, 'SIGINT');
    const exit = await Promise.race([
      exited,
      sleep(60_000, undefined, { ref: false }).then(() => 'timeout' as const),
    ]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tree.filter(isAlive)).toEqual([]);
    expect(await isPortFree(ports.dynamodb)).toBe(true);
    expect(await isPortFree(ports.gateway)).toBe(true);
    expect(existsSync(endpointsFile)).toBe(false);
    expect(output).toMatch(/stopped in/);
  });
});
