import { parseClientMessage, webSocketRoute } from '@kupala/trade-model';
import { isLive } from '../../domain/connection';
import { deliver } from '../../domain/delivery';
import { refusal } from '../../domain/replies';
import { connectionExpired } from '../../domain/subscriptions';
import { type SubscriptionSideEffects, subscriptionSideEffects } from '../../sideEffects';

/** `unsubscribe`: stops the pushes of one portfolio to this connection; silent when done, an error otherwise. */
export const buildHandler = (effects: () => SubscriptionSideEffects = subscriptionSideEffects) =>
  webSocketRoute(async (event) => {
    const dependencies = effects();
    const { connectionId } = event.requestContext;
    const parsed = parseClientMessage(event.body);
    if (!parsed.success || parsed.message.action !== 'unsubscribe') {
      await deliver(dependencies, connectionId, [refusal(parsed)]);
      return { statusCode: 200 };
    }
    const connection = await dependencies.getConnection(connectionId);
    if (isLive(connection, dependencies.now()))
      await dependencies.unsubscribe(connection, parsed.message.portfolioId);
    else await deliver(dependencies, connectionId, [connectionExpired]);
    return { statusCode: 200 };
  });

export const main = buildHandler();
