import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import {
  type AccessTokenVerifier,
  buildAccessTokenVerifier,
  createDocumentClient,
  getEnvVariable,
  lazily,
} from '@kupala/trade-model';
import { buildConnectionMessenger, type ConnectionMessenger } from './adapters/connection-messenger';
import { buildConnectionsStore, type ConnectionsStore } from './adapters/connections-store';

/** What `$connect` touches; tests pass their own. */
export interface ConnectSideEffects {
  verifier: AccessTokenVerifier;
  connections: ConnectionsStore;
  now: () => Date;
}
/** What `$disconnect` touches. */
export interface DisconnectSideEffects {
  connections: ConnectionsStore;
}
/** What the message routes (`ping`, `$default`) touch. */
export interface MessagingSideEffects {
  messenger: ConnectionMessenger;
  now: () => Date;
}

// Each function reads only the configuration its own serverless.yml entry gives it, once per container.

export const connectSideEffects = lazily(
  (): ConnectSideEffects => ({
    verifier: buildAccessTokenVerifier(),
    connections: buildConnectionsStore(createDocumentClient(), getEnvVariable('CONNECTIONS_TABLE')),
    now: () => new Date(),
  }),
);

export const disconnectSideEffects = lazily(
  (): DisconnectSideEffects => ({
    connections: buildConnectionsStore(createDocumentClient(), getEnvVariable('CONNECTIONS_TABLE')),
  }),
);

export const messagingSideEffects = lazily(
  (): MessagingSideEffects => ({
    messenger: buildConnectionMessenger(
      new ApiGatewayManagementApiClient({ endpoint: getEnvVariable('WEBSOCKET_API_ENDPOINT') }),
    ),
    now: () => new Date(),
  }),
);
