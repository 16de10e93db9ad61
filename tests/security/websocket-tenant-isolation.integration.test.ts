import { tokenFor } from '@kupala/local-stack';
import { createDocumentClient, parseClientMessage, type RetryPolicy } from '@kupala/trade-model';
import { lambdaContext } from '@kupala/trade-model/testing';
import { buildConnectionsStore } from '../../services/positions/src/adapters/connections-store';
import { buildPortfoliosReader } from '../../services/positions/src/adapters/portfolios-reader';
import { buildPositionsReader } from '../../services/positions/src/adapters/positions-store';
import { buildLivePublisher } from '../../services/positions/src/domain/live-publisher';
import { main as connect } from '../../services/positions/src/functions/connect/handler';
import { engine, positionsReaderTables } from '../../services/positions/src/positionsSideEffects';
import type { SubscriptionSideEffects } from '../../services/positions/src/sideEffects';
import { fakeMessenger, type SentMessage } from '../../services/positions/src/testing/fake-messenger';
import { webSocketEvent } from '../../services/positions/src/testing/websocket-events';
import { compiledRouteCaller } from '../support/compiled-handlers';
import { compiledWebSocketRoutes } from '../support/packaged-services';
import { positionsConsumers, subOf } from '../support/positions-stream';

// The WebSocket half of the tenant-isolation matrix: every action of the compiled positions template that
// takes a portfolioId, tried by a second user on the first user's portfolio (real $connect, connections store,
// ownership and snapshots on DynamoDB Local; only @connections is a recording fake).
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set by the integration setup`);
  return value;
};
const client = createDocumentClient();
const connections = buildConnectionsStore(client, env('CONNECTIONS_TABLE'));
const snapshots = buildPositionsReader(client, positionsReaderTables(), engine);
const quietRetry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const { call } = compiledRouteCaller();

const effects = (sent: SentMessage[]): SubscriptionSideEffects => ({
  messenger: fakeMessenger(sent),
  retry: quietRetry,
  getConnection: connections.getConnection,
  forgetConnection: connections.forgetConnection,
  subscribe: connections.subscribe,
  unsubscribe: connections.unsubscribe,
  ownedPortfolio: buildPortfoliosReader(client, env('TRADES_TABLE')).getPortfolioSettings,
  snapshots,
  now: () => new Date(),
});

/** What the positions consumers push after a change of the portfolio, recorded. */
const pushesAfterChange = async (sub: string, portfolioId: string): Promise<SentMessage[]> => {
  const pushed: SentMessage[] = [];
  await buildLivePublisher({
    messenger: fakeMessenger(pushed),
    retry: quietRetry,
    forgetConnection: connections.forgetConnection,
    subscribersOf: connections.subscribersOf,
    snapshots,
    now: () => new Date(),
  }).positionsChanged(sub, portfolioId);
  return pushed;
};

let connectionCount = 0;
const openConnection = async (token: string): Promise<string> => {
  connectionCount += 1;
  const connectionId = `wsiso-${Date.now().toString(36)}-${connectionCount}=`;
  const result = await connect(
    webSocketEvent('$connect', { connectionId, query: { token } }),
    lambdaContext('connect'),
  );
  if (result.statusCode !== 200) throw new Error(`$connect answered ${result.statusCode}`);
  return connectionId;
};

type WebSocketHandler = (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
const routes = compiledWebSocketRoutes().filter((route) => route.service.name === 'positions');

/** Sends one action on a connection through the handler the compiled template routes it to. */
const sendAction = async (action: string, connectionId: string, portfolioId: string, sent: SentMessage[]) => {
  const route = routes.find((candidate) => candidate.routeKey === action);
  if (route === undefined) throw new Error(`${action} is not a route of the compiled positions template`);
  const module = (await import(route.handlerModule)) as {
    buildHandler: (effects: () => SubscriptionSideEffects) => WebSocketHandler;
  };
  return module.buildHandler(() => effects(sent))(
    webSocketEvent(action, { connectionId, body: JSON.stringify({ action, portfolioId }) }),
    lambdaContext(route.functionName),
  );
};

const SAMPLE_ID = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
/** An action takes a portfolioId when the contract refuses it without one and accepts it with one. */
const takesPortfolioId = (action: string): boolean =>
  !parseClientMessage(JSON.stringify({ action })).success &&
  parseClientMessage(JSON.stringify({ action, portfolioId: SAMPLE_ID })).success;

interface Owner {
  token: string;
  sub: string;
  portfolioId: string;
}

/** The owner's positive control per action: what reaching the action on their own portfolio looks like. */
const OWNER_CONTROLS: Record<string, (owner: Owner) => Promise<void>> = {
  subscribe: async ({ token, sub, portfolioId }) => {
    const connectionId = await openConnection(token);
    const sent: SentMessage[] = [];
    await sendAction('subscribe', connectionId, portfolioId, sent);
    // one snapshot carrying the fixture's position, then pushes on every change
    expect(sent.map((entry) => [entry.connectionId, entry.message.type])).toEqual([
      [connectionId, 'positions'],
    ]);
    expect(JSON.stringify(sent[0]?.message)).toContain('EQUITY:WSISO:USD');
    const pushed = await pushesAfterChange(sub, portfolioId);
    expect(pushed.filter((entry) => entry.connectionId === connectionId).length).toBeGreaterThan(0);
  },
  unsubscribe: async ({ token, sub, portfolioId }) => {
    const connectionId = await openConnection(token);
    const sent: SentMessage[] = [];
    await sendAction('subscribe', connectionId, portfolioId, sent);
    await sendAction('unsubscribe', connectionId, portfolioId, sent);
    // the snapshot of the subscribe, nothing for the unsubscribe, and no pushes any more
    expect(sent.map((entry) => entry.message.type)).toEqual(['positions']);
    const pushed = await pushesAfterChange(sub, portfolioId);
    expect(pushed.filter((entry) => entry.connectionId === connectionId)).toEqual([]);
  },
};

describe("WebSocket tenant isolation: a second user tries the first user's portfolio on every action that takes one", () => {
  let owner: Owner;
  let intruder: string;
  const portfolioActions = routes
    .map((route) => route.routeKey)
    .filter((key) => !key.startsWith('$'))
    .filter(takesPortfolioId);

  beforeAll(async () => {
    const token = await tokenFor(`wsiso-alice-${Date.now()}`);
    intruder = await tokenFor(`wsiso-mallory-${Date.now()}`);
    const portfolio = await call('POST /portfolios', token, {
      body: { name: 'Alice live', baseCurrency: 'USD' },
    });
    const portfolioId = (portfolio.body as { portfolioId: string }).portfolioId;
    const trade = await call('POST /portfolios/{portfolioId}/trades', token, {
      params: { portfolioId },
      body: {
        type: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol: 'WSISO', currency: 'USD' },
        quantity: '3',
        price: '10',
        currency: 'USD',
        tradeDate: '2026-01-05',
      },
    });
    const failures = await positionsConsumers().deliverTrade(
      subOf(token),
      portfolioId,
      (trade.body as { tradeId: string }).tradeId,
    );
    if (failures.length > 0) throw new Error('The positions consumer refused the fixture trade');
    owner = { token, sub: subOf(token), portfolioId };
  }, 120_000);

  it('reads the actions from the compiled template and has a fixture for each one that takes a portfolioId', () => {
    // guard against an empty sweep: the contract's two portfolio actions are there
    expect(portfolioActions).toEqual(expect.arrayContaining(['subscribe', 'unsubscribe']));
    const missing = portfolioActions.filter((action) => OWNER_CONTROLS[action] === undefined);
    expect({ missing }).toEqual({ missing: [] });
  });

  it("answers the second user one error and nothing else: no snapshot, no later push of the owner's changes", async () => {
    for (const action of portfolioActions) {
      const connectionId = await openConnection(intruder);
      const sent: SentMessage[] = [];

      await sendAction(action, connectionId, owner.portfolioId, sent);
      const pushed = await pushesAfterChange(owner.sub, owner.portfolioId);

      expect({ action, sent: sent.map((entry) => [entry.connectionId, entry.message.type]) }).toEqual({
        action,
        sent: [[connectionId, 'error']],
      });
      expect({ action, leaked: JSON.stringify(sent).includes('WSISO') }).toEqual({ action, leaked: false });
      expect({ action, pushed: pushed.filter((entry) => entry.connectionId === connectionId) }).toEqual({
        action,
        pushed: [],
      });
    }
  });

  it('positive control: the owner reaches every one of those actions', async () => {
    for (const action of portfolioActions) {
      const control = OWNER_CONTROLS[action];
      if (control === undefined) throw new Error(`No WebSocket fixture for action ${action}: add one here`);
      await control(owner);
    }
  });
});
