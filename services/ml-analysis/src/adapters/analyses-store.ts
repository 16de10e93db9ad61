import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Analysis,
  AnalysisSchema,
  isConditionFailure,
  itemReader,
  type LeaderboardEntry,
  LeaderboardEntrySchema,
} from '@kupala/trade-model';

// Every key starts with the owner's sub: another user's ids address nothing.
const userKey = (sub: string) => `USER#${sub}`;
const analysisSortKey = (analysisId: string) => `ANALYSIS#${analysisId}`;
const familyPrefix = (analysisId: string) => `ANALYSIS#${analysisId}#MODEL#`;

const toAnalysis = itemReader<Analysis>(AnalysisSchema);
const toEntry = itemReader<LeaderboardEntry>(LeaderboardEntrySchema);

/** One family's stored outcome: its leaderboard row, or skipped when the budget had run out. */
export type FamilyOutcome =
  | { skipped: false; entry: LeaderboardEntry }
  | { skipped: true; model: LeaderboardEntry['model'] };

/** DynamoDB access for analyses and their per-family results (Analyses table). */
export const buildAnalysesStore = (client: DynamoDBDocumentClient, tableName: string) => {
  const analysisKey = (sub: string, analysisId: string) => ({
    pk: userKey(sub),
    sk: analysisSortKey(analysisId),
  });
  return {
    async putAnalysis(sub: string, analysis: Analysis): Promise<void> {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...analysisKey(sub, analysis.analysisId), entity: 'ANALYSIS', ...analysis },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    /** Takes back an analysis whose run could not be started. */
    async deleteAnalysis(sub: string, analysisId: string): Promise<void> {
      await client.send(new DeleteCommand({ TableName: tableName, Key: analysisKey(sub, analysisId) }));
    },

    async getAnalysis(sub: string, analysisId: string): Promise<Analysis | undefined> {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: analysisKey(sub, analysisId), ConsistentRead: true }),
      );
      return Item === undefined ? undefined : toAnalysis(Item);
    },

    /** PENDING → RUNNING with the number of families; false when the run had already started (a redelivery). */
    async markRunning(sub: string, analysisId: string, total: number, now: string): Promise<boolean> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: analysisKey(sub, analysisId),
            UpdateExpression: 'SET #status = :running, progress = :progress, updatedAt = :now',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':running': 'RUNNING',
              ':pending': 'PENDING',
              ':progress': { completed: 0, total },
              ':now': now,
            },
          }),
        );
        return true;
      } catch (error: unknown) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    /**
     * Stores a family's outcome and counts it, in one transaction: a redelivered family finds its item there and
     * counts nothing twice (answers false).
     */
    async recordFamily(
      sub: string,
      analysisId: string,
      outcome: FamilyOutcome,
      now: string,
    ): Promise<boolean> {
      const model = outcome.skipped ? outcome.model : outcome.entry.model;
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    pk: userKey(sub),
                    sk: `${familyPrefix(analysisId)}${model}`,
                    entity: 'ANALYSIS_FAMILY',
                    skipped: outcome.skipped,
                    ...(outcome.skipped ? { model } : outcome.entry),
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: analysisKey(sub, analysisId),
                  UpdateExpression: 'SET progress.completed = progress.completed + :one, updatedAt = :now',
                  ConditionExpression: '#status = :running',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':one': 1, ':now': now, ':running': 'RUNNING' },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error: unknown) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    /** Every family outcome stored for the analysis. */
    async listFamilies(sub: string, analysisId: string): Promise<FamilyOutcome[]> {
      const outcomes: FamilyOutcome[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': userKey(sub), ':prefix': familyPrefix(analysisId) },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? [])
          outcomes.push(
            item.skipped === true
              ? { skipped: true, model: item.model as LeaderboardEntry['model'] }
              : { skipped: false, entry: toEntry(item) },
          );
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return outcomes;
    },

    /**
     * Lets exactly one finisher complete the run: the first family to claim it, or that same family again when its
     * invocation is retried.
     */
    async claimFinish(sub: string, analysisId: string, claimant: string): Promise<boolean> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: analysisKey(sub, analysisId),
            UpdateExpression: 'SET finisher = :claimant',
            ConditionExpression:
              '(attribute_not_exists(finisher) OR finisher = :claimant) AND #status = :running',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':claimant': claimant, ':running': 'RUNNING' },
          }),
        );
        return true;
      } catch (error: unknown) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async complete(
      sub: string,
      analysisId: string,
      result: Pick<Analysis, 'leaderboard' | 'bestModel' | 'skipped'>,
      now: string,
    ): Promise<void> {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: analysisKey(sub, analysisId),
          UpdateExpression:
            'SET #status = :succeeded, leaderboard = :leaderboard, bestModel = :best, skipped = :skipped, updatedAt = :now',
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':succeeded': 'SUCCEEDED',
            ':running': 'RUNNING',
            ':leaderboard': result.leaderboard,
            ':best': result.bestModel,
            ':skipped': result.skipped,
            ':now': now,
          },
        }),
      );
    },

    /** Ends a run as FAILED with a message safe to show its owner (unless it already ended). */
    async fail(sub: string, analysisId: string, message: string, now: string): Promise<void> {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: analysisKey(sub, analysisId),
            UpdateExpression: 'SET #status = :failed, #error = :message, updatedAt = :now',
            ConditionExpression: '#status IN (:pending, :running)',
            ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
            ExpressionAttributeValues: {
              ':failed': 'FAILED',
              ':pending': 'PENDING',
              ':running': 'RUNNING',
              ':message': message,
              ':now': now,
            },
          }),
        );
      } catch (error: unknown) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
};

export type AnalysesStore = ReturnType<typeof buildAnalysesStore>;
