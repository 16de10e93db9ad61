import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import {
  type AccessTokenVerifier,
  buildAccessTokenVerifier,
  createDocumentClient,
  getEnvVariable,
  lazily,
  type WebSocketConnection,
} from '@kupala/trade-model';
import { buildConnectionMessenger, type ConnectionMessenger } from './adapters/connection-messenger';
import { buildConnectionsStore, type ConnectionsStore } from './adapters/connections-store';
import { buildPortfoliosReader } from './adapters/portfolios-reader';
import { buildPositionsReader } from './adapters/positions-store';
import type { DeliveryDependencies } from './domain/delivery';
import { buildLivePublisher, type PositionsSnapshotReader } from './domain/live-publisher';
import type { PositionsPublisher } from './domain/publisher';
import type { SubscriptionDependencies } from './domain/subscriptions';
import { engine, positionsReaderTables } from './positionsSideEffects';

/** What `$connect` touches; tests pass their own. */
export interface ConnectSideEffects {
  verifier: AccessTokenVerifier;
  connections: Pick<ConnectionsStore, 'saveConnection'>;
  now: () => Date;
}
/** What `$disconnect` touches. */
export interface DisconnectSideEffects {
  connections: Pick<ConnectionsStore, 'forgetConnection'>;
}
/** What the message routes (`ping`, `$default`) touch. */
export interface MessagingSideEffects {
  messenger: ConnectionMessenger;
  now: () => Date;
}
/** What `ping` touches: the connection too, so an expired one gets no pong. */
export interface PingSideEffects extends MessagingSideEffects {
  getConnection(connectionId: string): Promise<WebSocketConnection | undefined>;
}
/** What `subscribe` / `unsubscribe` touch. */
export interface SubscriptionSideEffects extends SubscriptionDependencies, DeliveryDependencies {
  getConnection(connectionId: string): Promise<WebSocketConnection | undefined>;
  now: () => Date;
}
/** What the import-progress stream consumer touches. */
export interface ImportProgressSideEffects extends DeliveryDependencies {
  connectionsOf(sub: string, nowSeconds: number): Promise<string[]>;
  now: () => Date;
}

// Each function reads only the configuration its own serverless.yml entry gives it, once per container.

const connectionsStore = () =>
  buildConnectionsStore(createDocumentClient(), getEnvVariable('CONNECTIONS_TABLE'));
const connectionMessenger = () =>
  buildConnectionMessenger(
    new ApiGatewayManagementApiClient({ endpoint: getEnvVariable('WEBSOCKET_API_ENDPOINT') }),
  );

export const connectSideEffects = lazily(
  (): ConnectSideEffects => ({
    verifier: buildAccessTokenVerifier(),
    connections: connectionsStore(),
    now: () => new Date(),
  }),
);

export const disconnectSideEffects = lazily(
  (): DisconnectSideEffects => ({ connections: connectionsStore() }),
);

export const messagingSideEffects = lazily(
  (): MessagingSideEffects => ({ messenger: connectionMessenger(), now: () => new Date() }),
);

export const pingSideEffects = lazily(
  (): PingSideEffects => ({
    messenger: connectionMessenger(),
    getConnection: connectionsStore().getConnection,
    now: () => new Date(),
  }),
);

/**
 * The publisher the positions consumers call after a committed change (needs CONNECTIONS_TABLE and
 * WEBSOCKET_API_ENDPOINT besides what the snapshot reader reads).
 */
export const buildPositionsPublisher = (snapshots: PositionsSnapshotReader): PositionsPublisher => {
  const connections = connectionsStore();
  return buildLivePublisher({
    messenger: connectionMessenger(),
    forgetConnection: connections.forgetConnection,
    subscribersOf: connections.subscribersOf,
    snapshots,
    now: () => new Date(),
  });
};

export const importProgressSideEffects = lazily((): ImportProgressSideEffects => {
  const connections = connectionsStore();
  return {
    messenger: connectionMessenger(),
    forgetConnection: connections.forgetConnection,
    connectionsOf: connections.connectionsOf,
    now: () => new Date(),
  };
});

export const subscriptionSideEffects = lazily((): SubscriptionSideEffects => {
  const client = createDocumentClient();
  const connections = connectionsStore();
  const portfolios = buildPortfoliosReader(client, getEnvVariable('TRADES_TABLE'));
  return {
    messenger: connectionMessenger(),
    getConnection: connections.getConnection,
    forgetConnection: connections.forgetConnection,
    subscribe: connections.subscribe,
    unsubscribe: connections.unsubscribe,
    ownedPortfolio: portfolios.getPortfolioSettings,
    // the figures of a snapshot are exactly what GET …/positions answers
    snapshots: buildPositionsReader(client, positionsReaderTables(), engine),
    now: () => new Date(),
  };
});
