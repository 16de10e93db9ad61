import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

// `fields` exactly: a stored credential's secret fields (PUT /credentials/{provider}), whatever their names
const SECRET_KEY =
  /authorization|token|secret|password|passphrase|api[-_]?key|cookie|credential|private[-_]?key|^fields$/i;
const JWT_LIKE = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
export const REDACTED = '[REDACTED]';

export const TRUNCATED = '[TRUNCATED]';
const MAX_DEPTH = 12;

/**
 * Replaces secret-looking keys and anything shaped like a JWT, at any depth: inside error messages and stacks,
 * along `cause` chains, in arrays and nested objects. Past MAX_DEPTH (or on a cycle) a value is cut, never
 * passed through unredacted.
 */
export const redactSecrets = (value: unknown, depth = 0, seen = new WeakSet<object>()): unknown => {
  if (typeof value === 'string') return value.replace(JWT_LIKE, REDACTED);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || seen.has(value)) return TRUNCATED;
  seen.add(value);
  const redactEntries = (entries: [string, unknown][]) =>
    Object.fromEntries(
      entries.map(([key, item]) => [
        key,
        SECRET_KEY.test(key) ? REDACTED : redactSecrets(item, depth + 1, seen),
      ]),
    );
  if (value instanceof Error) {
    return {
      ...redactEntries(Object.entries(value)),
      name: value.name,
      message: redactSecrets(value.message, depth + 1, seen),
      ...(value.stack === undefined ? {} : { stack: redactSecrets(value.stack, depth + 1, seen) }),
      ...(value.cause === undefined ? {} : { cause: redactSecrets(value.cause, depth + 1, seen) }),
    };
  }
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  return redactEntries(Object.entries(value));
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
