import { logger, parseClientMessage, type ServerMessage, webSocketRoute } from '@kupala/trade-model';
import { isLive } from '../../domain/connection';
import { refusal } from '../../domain/replies';
import { connectionExpired } from '../../domain/subscriptions';
import { type PingSideEffects, pingSideEffects } from '../../sideEffects';

/** `ping`: answers `pong` with the server time; a malformed ping or an expired connection gets an error instead. */
export const buildHandler = (effects: () => PingSideEffects = pingSideEffects) =>
  webSocketRoute(async (event) => {
    const { messenger, now, getConnection } = effects();
    const { connectionId } = event.requestContext;
    const parsed = parseClientMessage(event.body);
    let reply: ServerMessage = refusal(parsed);
    if (parsed.success && parsed.message.action === 'ping') {
      reply = isLive(await getConnection(connectionId), now())
        ? { type: 'pong', time: now().toISOString() }
        : connectionExpired;
    }
    if (!(await messenger.send(connectionId, reply))) logger.info('connection already gone');
    return { statusCode: 200 };
  });

export const main = buildHandler();
