import { isRecord } from './is-record';
import { functionsOfConfig, type ResourceMap, resolveLocalString } from './service-templates';

/**
 * s3rver stores objects but calls no Lambda. The local platform forwards its object events to the
 * function a bucket's NotificationConfiguration names, through serverless-offline's Lambda endpoint,
 * as an asynchronous invocation like S3's own.
 */

/** One `LambdaConfigurations` entry of a bucket, with the deployed name of the function it names. */
export interface BucketNotificationTarget {
  bucket: string;
  /** e.g. `s3:ObjectCreated:*` or `s3:ObjectCreated:Put`. */
  event: string;
  prefix?: string;
  suffix?: string;
  functionName: string;
}

/** An S3 event as s3rver emits it (AWS-shaped records). */
export interface ObjectEvent {
  Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[];
}

// The framework's logical id of a function: `processImport` -> `ProcessImportLambdaFunction`.
const functionLogicalId = (key: string): string =>
  `${key.charAt(0).toUpperCase()}${key.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore')}LambdaFunction`;

/** The deployed name of function `key` of a resolved serverless configuration (`<service>-<stage>-<key>`). */
export const deployedFunctionName = (config: Record<string, unknown>, stage: string, key: string): string => {
  const definition = functionsOfConfig(config)[key];
  if (isRecord(definition) && typeof definition.name === 'string') return definition.name;
  const service = isRecord(config.service) ? config.service.name : config.service;
  return `${String(service)}-${stage}-${key}`;
};

/** Deployed function names by logical id, from a resolved serverless configuration. */
export const deployedFunctionNames = (config: Record<string, unknown>, stage: string): Map<string, string> =>
  new Map(
    Object.keys(functionsOfConfig(config)).map((key) => [
      functionLogicalId(key),
      deployedFunctionName(config, stage, key),
    ]),
  );

const keyFilter = (filter: unknown, name: 'prefix' | 'suffix'): string | undefined => {
  const rules = isRecord(filter) && isRecord(filter.S3Key) ? filter.S3Key.Rules : undefined;
  if (!Array.isArray(rules)) return undefined;
  const rule = rules.find(
    (candidate) => isRecord(candidate) && String(candidate.Name).toLowerCase() === name,
  );
  return isRecord(rule) && typeof rule.Value === 'string' ? rule.Value : undefined;
};

/** Every bucket → Lambda notification of a service whose bucket name and function resolve locally. */
export const bucketNotificationTargets = (
  resources: ResourceMap,
  functionNames: ReadonlyMap<string, string>,
): BucketNotificationTarget[] =>
  Object.values(resources).flatMap((resource) => {
    if (!isRecord(resource) || resource.Type !== 'AWS::S3::Bucket' || !isRecord(resource.Properties))
      return [];
    const bucket = resolveLocalString(resource.Properties.BucketName, resources);
    const notifications = resource.Properties.NotificationConfiguration;
    const configurations = isRecord(notifications) ? notifications.LambdaConfigurations : undefined;
    if (bucket === undefined || !Array.isArray(configurations)) return [];
    return configurations.flatMap((configuration): BucketNotificationTarget[] => {
      if (!isRecord(configuration) || typeof configuration.Event !== 'string') return [];
      const getAtt = isRecord(configuration.Function) ? configuration.Function['Fn::GetAtt'] : undefined;
      const logicalId = Array.isArray(getAtt) ? String(getAtt[0]) : undefined;
      const functionName = logicalId === undefined ? undefined : functionNames.get(logicalId);
      if (functionName === undefined) return [];
      const prefix = keyFilter(configuration.Filter, 'prefix');
      const suffix = keyFilter(configuration.Filter, 'suffix');
      return [
        {
          bucket,
          event: configuration.Event,
          functionName,
          ...(prefix === undefined ? {} : { prefix }),
          ...(suffix === undefined ? {} : { suffix }),
        },
      ];
    });
  });

/** Whether a record (`ObjectCreated:Put`, key) is one the target subscribed to (`s3:ObjectCreated:*`, filters). */
export const targetMatches = (
  target: BucketNotificationTarget,
  record: ObjectEvent['Records'][number],
): boolean => {
  const wanted = target.event.replace(/^s3:/, '');
  const eventMatches = wanted.endsWith(':*')
    ? record.eventName.startsWith(wanted.slice(0, -1))
    : record.eventName === wanted;
  const key = record.s3.object.key;
  return (
    eventMatches &&
    record.s3.bucket.name === target.bucket &&
    (target.prefix === undefined || key.startsWith(target.prefix)) &&
    (target.suffix === undefined || key.endsWith(target.suffix))
  );
};

/**
 * Forwards each matching record, one event per record like S3, to
 * `POST <lambdaUrl>/2015-03-31/functions/<name>/invocations` (invocation type Event: fire and forget).
 */
export const forwardObjectEvents = (
  targets: readonly { target: BucketNotificationTarget; lambdaUrl: string }[],
  options: { onError: (message: string) => void; fetchImpl?: typeof fetch },
) => {
  const send = options.fetchImpl ?? fetch;
  return (event: ObjectEvent): void => {
    for (const record of event.Records) {
      for (const { target, lambdaUrl } of targets) {
        if (!targetMatches(target, record)) continue;
        const url = `${lambdaUrl}/2015-03-31/functions/${encodeURIComponent(target.functionName)}/invocations`;
        send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
          body: JSON.stringify({ Records: [record] }),
        })
          .then((response) => {
            if (response.status >= 300)
              options.onError(`[s3] ${target.functionName} refused the event: HTTP ${response.status}`);
          })
          .catch((error: unknown) =>
            options.onError(`[s3] forwarding to ${target.functionName} failed: ${(error as Error).message}`),
          );
      }
    }
  };
};
