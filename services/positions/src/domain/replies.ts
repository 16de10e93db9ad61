import {
  type ClientMessageParseResult,
  type ErrorMessage,
  validationFailedMessage,
} from '@kupala/trade-model';

/** The answer to a message the route receiving it does not serve: why it was refused, or that its action belongs elsewhere. */
export const refusal = (parsed: ClientMessageParseResult): ErrorMessage =>
  parsed.success
    ? validationFailedMessage(`Action "${parsed.message.action}" is not served by this route`)
    : parsed.error;
