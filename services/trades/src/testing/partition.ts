import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, getEnvVariable } from '@kupala/trade-model';
import { portfolioTradesKey } from '../adapters/trades-store';
import { subOf } from './imports-requests';

/** Every raw item of a portfolio's partition in DynamoDB Local (trades, staged trades, markers, batches…). */
export const partitionItems = async (token: string, portfolioId: string) => {
  const client = createDocumentClient();
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: getEnvVariable('TRADES_TABLE'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': portfolioTradesKey(subOf(token), portfolioId) },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
};

/** How many raw items of each entity a partition holds. */
export const entityCounts = (items: Record<string, unknown>[]) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[String(item.entity)] = (counts[String(item.entity)] ?? 0) + 1;
  return counts;
};
