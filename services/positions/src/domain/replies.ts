import {
  type ClientMessageParseResult,
  type ErrorMessage,
  validationFailedMessage,
} from '@kupala/trade-model';

/** The answer to a message no route of the API serves: why it was refused, or which action is not offered yet. */
export const refusal = (parsed: ClientMessageParseResult): ErrorMessage =>
  parsed.success
    ? validationFailedMessage(`Action "${parsed.message.action}" is not supported yet`)
    : parsed.error;
