import { logger, parseClientMessage, webSocketRoute } from '@kupala/trade-model';
import { refusal } from '../../domain/replies';
import { type MessagingSideEffects, messagingSideEffects } from '../../sideEffects';

/** `$default`: every message no route serves (invalid JSON, unknown or not-yet-offered action) gets an error. */
export const buildHandler = (effects: () => MessagingSideEffects = messagingSideEffects) =>
  webSocketRoute(async (event) => {
    const { messenger } = effects();
    const reply = refusal(parseClientMessage(event.body));
    if (!(await messenger.send(event.requestContext.connectionId, reply)))
      logger.info('connection already gone');
    return { statusCode: 200 };
  });

export const main = buildHandler();
