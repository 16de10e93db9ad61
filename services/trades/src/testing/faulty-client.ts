import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  buildIdempotencyStore,
  createDocumentClient,
  getEnvVariable,
  type RetryPolicy,
} from '@kupala/trade-model';
import { monotonicFactory } from 'ulid';
import { buildTradesStore } from '../adapters/trades-store';
import type { TradesSideEffects } from '../sideEffects';

type Command = Parameters<DynamoDBDocumentClient['send']>[0];

/** Decides, per call (counted from 1 per command name), whether the real DynamoDB call fails instead. */
export type FaultPlan = (commandName: string, call: number, command: Command) => Error | undefined;

/** An error DynamoDB answers when it is throttled: retried, then given up on. */
export const throttled = () =>
  Object.assign(new Error('Throughput exceeds the current capacity (injected)'), {
    name: 'ProvisionedThroughputExceededException',
  });

/**
 * A real document client on DynamoDB Local whose calls fail where `plan` says: fault injection for the
 * integration tests (everything that is not injected reaches DynamoDB Local).
 */
export const faultyDocumentClient = (plan: FaultPlan) => {
  const real = createDocumentClient();
  const calls = new Map<string, number>();
  const send = (async (command: Command) => {
    const name = command.constructor.name;
    const call = (calls.get(name) ?? 0) + 1;
    calls.set(name, call);
    const fault = plan(name, call, command);
    if (fault !== undefined) throw fault;
    return real.send(command as never);
  }) as DynamoDBDocumentClient['send'];
  return { client: Object.assign(Object.create(real) as DynamoDBDocumentClient, { send }), calls };
};

/** Three quick attempts with no waiting: a fault injected on every attempt exhausts them at once. */
export const QUICK_RETRIES: RetryPolicy = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

/** Side effects of the trades handlers on DynamoDB Local through `client`. */
export const tradesEffectsOn = (client: DynamoDBDocumentClient): (() => TradesSideEffects) => {
  const ulid = monotonicFactory();
  const tableName = getEnvVariable('TRADES_TABLE');
  const effects: TradesSideEffects = {
    store: buildTradesStore(client, tableName, QUICK_RETRIES),
    idempotency: buildIdempotencyStore(client, tableName),
    newId: () => ulid(),
    now: () => new Date().toISOString(),
  };
  return () => effects;
};
