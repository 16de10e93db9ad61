import { authenticate, connectionToken, webSocketRoute } from '@kupala/trade-model';
import { openConnection } from '../../domain/connection';
import { type ConnectSideEffects, connectSideEffects } from '../../sideEffects';

/** `$connect`: a 401 refuses the connection unless `?token=` verifies; the connection belongs to its `sub`. */
export const buildHandler = (effects: () => ConnectSideEffects = connectSideEffects) =>
  webSocketRoute(async (event) => {
    const { verifier, connections, now } = effects();
    const user = await authenticate(verifier, connectionToken(event));
    await connections.saveConnection(openConnection(event.requestContext.connectionId, user, now()));
    return { statusCode: 200 };
  });

export const main = buildHandler();
