import { parseClientMessage, type ServerMessage, webSocketRoute } from '@kupala/trade-model';
import { isLive } from '../../domain/connection';
import { deliver } from '../../domain/delivery';
import { refusal } from '../../domain/replies';
import { connectionExpired, subscribeToPortfolio } from '../../domain/subscriptions';
import { type SubscriptionSideEffects, subscriptionSideEffects } from '../../sideEffects';

/** `subscribe`: an owned portfolio answers its positions (then pushes on every change); anything else one error. */
export const buildHandler = (effects: () => SubscriptionSideEffects = subscriptionSideEffects) =>
  webSocketRoute(async (event) => {
    const dependencies = effects();
    const { connectionId } = event.requestContext;
    const parsed = parseClientMessage(event.body);
    let replies: ServerMessage[];
    if (!parsed.success || parsed.message.action !== 'subscribe') {
      replies = [refusal(parsed)];
    } else {
      const connection = await dependencies.getConnection(connectionId);
      replies = isLive(connection, dependencies.now())
        ? await subscribeToPortfolio(dependencies, connection, parsed.message.portfolioId)
        : [connectionExpired];
    }
    await deliver(dependencies, connectionId, replies);
    return { statusCode: 200 };
  });

export const main = buildHandler();
