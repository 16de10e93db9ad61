import { webSocketRoute } from '@kupala/trade-model';
import { type DisconnectSideEffects, disconnectSideEffects } from '../../sideEffects';

/** `$disconnect`: forgets the connection and its subscriptions (API Gateway calls it however the connection ended). */
export const buildHandler = (effects: () => DisconnectSideEffects = disconnectSideEffects) =>
  webSocketRoute(async (event) => {
    await effects().connections.forgetConnection(event.requestContext.connectionId);
    return { statusCode: 200 };
  });

export const main = buildHandler();
