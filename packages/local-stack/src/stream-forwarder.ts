import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { deployedFunctionName } from './bucket-notifications';
import { LOCAL_REGION, localAwsCredentials } from './dynamodb-local';
import { isRecord } from './is-record';
import { functionsOfConfig } from './service-templates';
import { passesFilters } from './stream-filters';

/**
 * Local DynamoDB stream delivery: serverless-offline has no event source mappings, so the local platform
 * reads each table's stream from DynamoDB Local and invokes the functions whose `stream` events name it,
 * through serverless-offline's Lambda endpoint, the way Lambda's poller would: records in shard order,
 * batches of `batchSize`, the event's `filterPatterns`, and with `ReportBatchItemFailures` a retry from
 * the first failed record (capped; AWS's default of retrying forever would stall a laptop's shard).
 */

/** One function reading one table's stream. */
export interface StreamTarget {
  functionName: string;
  /** A table name, or (before tables exist) the lower-cased logical id of the table: see `streamArnPlaceholder`. */
  table: string;
  batchSize: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  filterPatterns: unknown[];
  reportBatchItemFailures: boolean;
  maximumRetryAttempts: number;
}

/** What a `${param:<x>StreamArn}` resolves to before the tables exist: an ARN naming the table's logical id. */
export const streamArnPlaceholder = (tableLogicalKey: string): string =>
  `arn:aws:dynamodb:${LOCAL_REGION}:000000000000:table/${tableLogicalKey}/stream/pending`;

const TABLE_OF_STREAM_ARN = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\//;
/** Locally a failing batch is retried this often when the event does not say. */
export const LOCAL_MAXIMUM_RETRY_ATTEMPTS = 3;

const parsePattern = (pattern: unknown): unknown => {
  if (typeof pattern !== 'string') return pattern;
  try {
    return JSON.parse(pattern);
  } catch {
    return undefined;
  }
};

/** The DynamoDB stream events of a resolved serverless configuration. */
export const streamTargets = (config: Record<string, unknown>, stage: string): StreamTarget[] =>
  Object.entries(functionsOfConfig(config)).flatMap(([key, definition]) => {
    const events = isRecord(definition) && Array.isArray(definition.events) ? definition.events : [];
    return events.flatMap((event): StreamTarget[] => {
      const stream = isRecord(event) ? event.stream : undefined;
      const settings = isRecord(stream) ? stream : { arn: stream };
      if (typeof settings.arn !== 'string' || (settings.type ?? 'dynamodb') !== 'dynamodb') return [];
      if (settings.enabled === false) return [];
      const table = TABLE_OF_STREAM_ARN.exec(settings.arn)?.[1];
      if (table === undefined) return [];
      const patterns = Array.isArray(settings.filterPatterns) ? settings.filterPatterns : [];
      return [
        {
          functionName: deployedFunctionName(config, stage, key),
          table,
          batchSize: typeof settings.batchSize === 'number' ? settings.batchSize : 100,
          startingPosition: settings.startingPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'LATEST',
          filterPatterns: patterns.map(parsePattern),
          reportBatchItemFailures:
            settings.functionResponseType === 'ReportBatchItemFailures' ||
            (Array.isArray(settings.functionResponseTypes) &&
              settings.functionResponseTypes.includes('ReportBatchItemFailures')),
          maximumRetryAttempts:
            typeof settings.maximumRetryAttempts === 'number' && settings.maximumRetryAttempts >= 0
              ? settings.maximumRetryAttempts
              : LOCAL_MAXIMUM_RETRY_ATTEMPTS,
        },
      ];
    });
  });

/** A stream record as Lambda hands it to a function (the SDK gives a Date where Lambda gives epoch seconds). */
export const lambdaStreamRecord = (record: StreamRecord, streamArn: string): Record<string, unknown> => {
  const { dynamodb, ...rest } = record;
  const created = dynamodb?.ApproximateCreationDateTime;
  return {
    ...rest,
    eventSourceARN: streamArn,
    dynamodb: {
      ...dynamodb,
      ...(created instanceof Date
        ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) }
        : {}),
    },
  };
};

/** The outcome of one invocation: failed as a whole, or the sequence numbers the function reported. */
export type InvocationOutcome = { ok: false; reason: string } | { ok: true; failedSequences: string[] };

export type Invoke = (functionName: string, event: unknown) => Promise<InvocationOutcome>;

/** Invokes through serverless-offline's Lambda API (RequestResponse, like Lambda's stream poller). */
export const invokeThroughOffline =
  (lambdaUrl: string, fetchImpl: typeof fetch = fetch): Invoke =>
  async (functionName, event) => {
    const response = await fetchImpl(
      `${lambdaUrl}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
        body: JSON.stringify(event),
      },
    );
    const text = await response.text();
    if (response.status >= 300 || response.headers.get('x-amz-function-error') !== null) {
      return { ok: false, reason: `HTTP ${response.status}: ${text.slice(0, 300)}` };
    }
    let payload: unknown;
    try {
      payload = text === '' ? undefined : JSON.parse(text);
    } catch {
      payload = undefined;
    }
    const failures =
      isRecord(payload) && Array.isArray(payload.batchItemFailures) ? payload.batchItemFailures : [];
    return {
      ok: true,
      failedSequences: failures.flatMap((failure) =>
        isRecord(failure) && typeof failure.itemIdentifier === 'string' ? [failure.itemIdentifier] : [],
      ),
    };
  };

export interface DeliveryPolicy {
  /** Wait before retry `attempt` (1-based). */
  backoffMs: (attempt: number) => number;
  wait?: (ms: number) => Promise<unknown>;
}

const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  // capped exponential backoff with full jitter: at most 100, 200, 400 … 2000 ms
  backoffMs: (attempt) => Math.floor(Math.random() * Math.min(2000, 100 * 2 ** (attempt - 1))),
};

/**
 * Delivers the records of one poll to a target in order: batches of `batchSize`; a batch that fails is
 * retried (from its first reported record with ReportBatchItemFailures, whole otherwise) with backoff, at
 * most `maximumRetryAttempts` times, then given up on (reported) so later records still flow.
 */
export const deliverRecords = async (
  target: StreamTarget,
  records: readonly Record<string, unknown>[],
  invoke: Invoke,
  onError: (message: string) => void,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
): Promise<void> => {
  const wait = policy.wait ?? sleep;
  for (let start = 0; start < records.length; start += target.batchSize) {
    let pending = records.slice(start, start + target.batchSize);
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) await wait(policy.backoffMs(attempt));
      let outcome: InvocationOutcome;
      try {
        outcome = await invoke(target.functionName, { Records: pending });
      } catch (error: unknown) {
        outcome = { ok: false, reason: error instanceof Error ? error.message : String(error) };
      }
      if (outcome.ok && (!target.reportBatchItemFailures || outcome.failedSequences.length === 0)) break;
      if (outcome.ok) {
        const failed = new Set(outcome.failedSequences);
        const first = pending.findIndex((record) =>
          failed.has(String((record.dynamodb as { SequenceNumber?: string } | undefined)?.SequenceNumber)),
        );
        // an identifier that names no record of the batch fails the whole batch, as in AWS
        if (first > 0) pending = pending.slice(first);
      }
      if (attempt >= target.maximumRetryAttempts) {
        onError(
          `[streams] ${target.functionName}: gave up on ${pending.length} record(s) after ${attempt + 1} attempts` +
            (outcome.ok ? '' : ` (${outcome.reason})`),
        );
        break;
      }
    }
  }
};

interface ShardState {
  parent: string | undefined;
  iterator: string | undefined;
  lastSequence: string | undefined;
  done: boolean;
}

export interface StreamForwarderOptions {
  dynamodbEndpoint: string;
  targets: readonly { target: StreamTarget; tableName: string; invoke: Invoke }[];
  /** Pause between polls of an idle stream (default 50 ms). */
  pollIntervalMs?: number;
  onError: (message: string) => void;
  policy?: DeliveryPolicy;
}

export interface RunningStreamForwarder {
  stop(): Promise<void>;
}

const SHARD_DISCOVERY_MS = 1000;

/** Starts one poller per target (its own shard iterators); stop() ends them after their current step. */
export const startStreamForwarder = async (
  options: StreamForwarderOptions,
): Promise<RunningStreamForwarder> => {
  const clientConfig = {
    endpoint: options.dynamodbEndpoint,
    region: LOCAL_REGION,
    credentials: localAwsCredentials,
  };
  const tables = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const abort = new AbortController();
  const pollInterval = options.pollIntervalMs ?? 50;
  const pause = (ms: number) => sleep(ms, undefined, { signal: abort.signal }).catch(() => undefined);

  const poll = async (entry: StreamForwarderOptions['targets'][number]): Promise<void> => {
    const { target, tableName, invoke } = entry;
    // a table of a service this platform did not start (dev --services …): its consumer gets no records
    const described = await tables
      .send(new DescribeTableCommand({ TableName: tableName }))
      .catch((error: unknown) => {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
        throw error;
      });
    if (described === undefined) {
      options.onError(
        `[streams] no table ${tableName} on this platform: ${target.functionName} gets no records`,
      );
      return;
    }
    const streamArn = described.Table?.LatestStreamArn;
    if (streamArn === undefined) {
      options.onError(`[streams] ${tableName} has no stream: ${target.functionName} gets no records`);
      return;
    }
    const shards = new Map<string, ShardState>();
    let discovered = 0;
    let firstDiscovery = true;
    const iteratorFor = async (shardId: string, state: ShardState, type: 'LATEST' | 'TRIM_HORIZON') => {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(state.lastSequence === undefined
            ? { ShardIteratorType: type }
            : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.lastSequence }),
        }),
      );
      state.iterator = ShardIterator;
      if (ShardIterator === undefined) state.done = true;
    };
    const discover = async () => {
      let exclusiveStart: string | undefined;
      do {
        const { StreamDescription } = await streams.send(
          new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: exclusiveStart }),
        );
        for (const shard of StreamDescription?.Shards ?? []) {
          if (shard.ShardId === undefined || shards.has(shard.ShardId)) continue;
          const state: ShardState = {
            parent: shard.ParentShardId,
            iterator: undefined,
            lastSequence: undefined,
            done: false,
          };
          shards.set(shard.ShardId, state);
          // shards born after start-up are read from their beginning: their records are all new
          await iteratorFor(shard.ShardId, state, firstDiscovery ? target.startingPosition : 'TRIM_HORIZON');
        }
        exclusiveStart = StreamDescription?.LastEvaluatedShardId;
      } while (exclusiveStart !== undefined);
      firstDiscovery = false;
      discovered = Date.now();
    };

    while (!abort.signal.aborted) {
      try {
        if (Date.now() - discovered >= SHARD_DISCOVERY_MS) await discover();
        let delivered = false;
        for (const [shardId, state] of shards) {
          if (state.done || state.iterator === undefined) continue;
          // a child shard waits until its parent is drained, so records stay in order
          const parent = state.parent === undefined ? undefined : shards.get(state.parent);
          if (parent !== undefined && !parent.done) continue;
          let page: GetRecordsCommandOutput;
          try {
            page = await streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 1000 }));
          } catch (error: unknown) {
            // An iterator too old (15 min) or, on DynamoDB Local, a TRIM_HORIZON iterator taken on a shard
            // with no records yet: take a new one after the last record read (from the start if none).
            if (
              error instanceof Error &&
              (error.name === 'ExpiredIteratorException' || error.name === 'TrimmedDataAccessException')
            ) {
              await iteratorFor(shardId, state, 'TRIM_HORIZON');
              await pause(pollInterval);
              continue;
            }
            throw error;
          }
          state.iterator = page.NextShardIterator;
          if (state.iterator === undefined) {
            state.done = true;
            discovered = 0;
          }
          const records = page.Records ?? [];
          const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
          if (last !== undefined) state.lastSequence = last;
          const wanted = records
            .map((record) => lambdaStreamRecord(record, streamArn))
            .filter((record) => passesFilters(target.filterPatterns, record));
          if (wanted.length > 0) {
            delivered = true;
            await deliverRecords(target, wanted, invoke, options.onError, options.policy);
          }
        }
        if (!delivered) await pause(pollInterval);
      } catch (error: unknown) {
        if (abort.signal.aborted) break;
        options.onError(
          `[streams] ${target.functionName} on ${tableName}: ${error instanceof Error ? error.message : String(error)}`,
        );
        await pause(1000);
      }
    }
  };

  const running = options.targets.map((entry) => poll(entry));
  return {
    stop: async () => {
      abort.abort();
      await Promise.allSettled(running);
      tables.destroy();
      streams.destroy();
    },
  };
};
