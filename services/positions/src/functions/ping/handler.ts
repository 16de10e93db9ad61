import { logger, parseClientMessage, type ServerMessage, webSocketRoute } from '@kupala/trade-model';
import { refusal } from '../../domain/replies';
import { type MessagingSideEffects, messagingSideEffects } from '../../sideEffects';

/** `ping`: answers `pong` with the server time; a malformed ping gets a VALIDATION_FAILED error instead. */
export const buildHandler = (effects: () => MessagingSideEffects = messagingSideEffects) =>
  webSocketRoute(async (event) => {
    const { messenger, now } = effects();
    const parsed = parseClientMessage(event.body);
    const reply: ServerMessage =
      parsed.success && parsed.message.action === 'ping'
        ? { type: 'pong', time: now().toISOString() }
        : refusal(parsed);
    if (!(await messenger.send(event.requestContext.connectionId, reply)))
      logger.info('connection already gone');
    return { statusCode: 200 };
  });

export const main = buildHandler();
