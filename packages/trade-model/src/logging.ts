import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

const SECRET_KEY =
  /authorization|token|secret|password|passphrase|api[-_]?key|cookie|credential|private[-_]?key/i;
const JWT_LIKE = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
export const REDACTED = '[REDACTED]';

/** Replaces secret-looking keys and anything shaped like a JWT, at any depth. */
export const redactSecrets = (value: unknown, depth = 0): unknown => {
  if (typeof value === 'string') return value.replace(JWT_LIKE, REDACTED);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    return { name: value.name, message: redactSecrets(value.message, depth + 1), stack: value.stack };
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET_KEY.test(key) ? REDACTED : redactSecrets(item, depth + 1),
    ]),
  );
};

/** Powertools' JSON shape, with every attribute passed through `redactSecrets`. */
class RedactingLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const base = {
      level: attributes.logLevel,
      message: redactSecrets(attributes.message),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      xray_trace_id: attributes.xRayTraceId,
    };
    return new LogItem({ attributes: { ...base, ...(redactSecrets(additional) as LogAttributes) } });
  }
}

/** The one structured logger of a function (service name from POWERTOOLS_SERVICE_NAME). */
export const logger = new Logger({ logFormatter: new RedactingLogFormatter() });
