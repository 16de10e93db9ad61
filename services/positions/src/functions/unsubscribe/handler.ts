import { parseClientMessage, webSocketRoute } from '@kupala/trade-model';
import { isLive } from '../../domain/connection';
import { deliver } from '../../domain/delivery';
import { refusal } from '../../domain/replies';
import { connectionExpired, notSubscribed } from '../../domain/subscriptions';
import { type SubscriptionSideEffects, subscriptionSideEffects } from '../../sideEffects';

/**
 * `unsubscribe`: stops the pushes of one portfolio to this connection; silent when done, one error otherwise
 * (not subscribed: the same answer whoever owns the portfolio, so it reveals nothing).
 */
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
    const { portfolioId } = parsed.message;
    if (!isLive(connection, dependencies.now()))
      await deliver(dependencies, connectionId, [connectionExpired]);
    else if (!(await dependencies.unsubscribe(connection, portfolioId)))
      await deliver(dependencies, connectionId, [notSubscribed(portfolioId)]);
    return { statusCode: 200 };
  });

export const main = buildHandler();
