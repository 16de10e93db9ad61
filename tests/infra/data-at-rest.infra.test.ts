import { referencedId, renderCfn, resourcesOfType } from '../support/cfn-expressions';
import { PACKAGE_DIRS, packagedServices } from '../support/packaged-services';

// Issue #8 item 4 (data at rest, failure destinations, alarms), over every resource of each kind in the compiled
// templates of both packaged stages. Deletion protection is stage-conditional: on for prod, off for test.

const DELETION_PROTECTED_STAGES = new Set(['prod']);

/**
 * Stream consumers without an on-failure queue, each with its reason. Their IteratorAge alarm still fires while
 * they retry a poison record.
 */
const STREAM_CONSUMERS_WITHOUT_FAILURE_QUEUE: Record<string, string> = {
  'positions/PushImportProgress':
    'import progress is a transient notice: records older than 300 s are dropped on purpose (the import record keeps the truth)',
  'positions/PushAnalysisProgress':
    'analysis progress is a transient notice like import progress: the analysis record keeps the truth and GET /analyses/{id} serves it',
};

const isStreamSource = (arn: unknown) => /dynamodb|StreamArn/.test(renderCfn(arn));

for (const stage of Object.keys(PACKAGE_DIRS) as (keyof typeof PACKAGE_DIRS)[]) {
  const services = packagedServices(stage);
  const tables = resourcesOfType(services, 'AWS::DynamoDB::Table');
  const buckets = resourcesOfType(services, 'AWS::S3::Bucket');
  const queues = resourcesOfType(services, 'AWS::SQS::Queue');
  const alarms = resourcesOfType(services, 'AWS::CloudWatch::Alarm');
  const topics = resourcesOfType(services, 'AWS::SNS::Topic');
  const streamMappings = resourcesOfType(services, 'AWS::Lambda::EventSourceMapping').filter((mapping) =>
    isStreamSource(mapping.properties.EventSourceArn),
  );

  describe(`data at rest and failure alarms in the compiled templates (${stage} stage)`, () => {
    it('finds tables, buckets, queues and stream consumers (guard against an empty sweep)', () => {
      expect(tables.length).toBeGreaterThanOrEqual(5);
      expect(buckets.length).toBeGreaterThanOrEqual(2);
      expect(queues.length).toBeGreaterThanOrEqual(2);
      expect(streamMappings.length).toBeGreaterThanOrEqual(3);
    });

    it.each(tables.map((table) => [`${table.service}/${table.logicalId}`, table]))(
      '%s: PITR, server-side encryption, deletion protection as the stage requires',
      (_name, table) => {
        expect(table.properties.PointInTimeRecoverySpecification).toEqual({
          PointInTimeRecoveryEnabled: true,
        });
        expect(table.properties.SSESpecification).toEqual({ SSEEnabled: true });
        expect(table.properties.DeletionProtectionEnabled).toBe(DELETION_PROTECTED_STAGES.has(stage));
      },
    );

    it.each(buckets.map((bucket) => [`${bucket.service}/${bucket.logicalId}`, bucket]))(
      '%s: all public access blocked, encrypted, versioned, TLS-only policy',
      (_name, bucket) => {
        expect(bucket.properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        const encryption = bucket.properties.BucketEncryption as {
          ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[];
        };
        expect(
          encryption.ServerSideEncryptionConfiguration.map(
            (rule) => rule.ServerSideEncryptionByDefault.SSEAlgorithm,
          ),
        ).toEqual([expect.stringMatching(/^(AES256|aws:kms|aws:kms:dsse)$/)]);
        expect(bucket.properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        const policies = resourcesOfType(services, 'AWS::S3::BucketPolicy').filter(
          (policy) =>
            policy.service === bucket.service && referencedId(policy.properties.Bucket) === bucket.logicalId,
        );
        const statements = policies.flatMap(
          (policy) =>
            (policy.properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
        );
        const tlsOnly = statements.find(
          (statement) =>
            statement.Effect === 'Deny' &&
            JSON.stringify(statement.Principal).includes('*') &&
            [statement.Action].flat().includes('s3:*') &&
            /"aws:SecureTransport":"?false"?/.test(JSON.stringify(statement.Condition)),
        );
        expect(tlsOnly).toBeDefined();
        // the deny covers the bucket and every object in it
        const covered = [tlsOnly?.Resource].flat().map(renderCfn);
        expect(covered.some((resource) => resource.endsWith('/*'))).toBe(true);
        expect(covered.some((resource) => !resource.endsWith('/*'))).toBe(true);
      },
    );

    it.each(queues.map((queue) => [`${queue.service}/${queue.logicalId}`, queue]))(
      '%s: encrypted at rest',
      (_name, queue) => {
        const encrypted =
          queue.properties.SqsManagedSseEnabled === true || queue.properties.KmsMasterKeyId !== undefined;
        expect(encrypted).toBe(true);
      },
    );

    it.each(topics.map((topic) => [`${topic.service}/${topic.logicalId}`, topic]))(
      '%s: alarm topic encrypted with KMS',
      (_name, topic) => {
        expect(topic.properties.KmsMasterKeyId).toEqual(expect.stringMatching(/\S/));
      },
    );

    const notifiesTopic = (alarm: (typeof alarms)[number]) =>
      [alarm.properties.AlarmActions].flat().some((action) => {
        const id = referencedId(action);
        return topics.some((topic) => topic.service === alarm.service && topic.logicalId === id);
      });

    it.each(streamMappings.map((mapping) => [`${mapping.service}/${mapping.logicalId}`, mapping]))(
      '%s: iterator-age alarm to the service topic; failures parked in an encrypted queue with a depth alarm',
      (_name, mapping) => {
        const functionId = referencedId(mapping.properties.FunctionName);
        const iteratorAlarm = alarms.find(
          (alarm) =>
            alarm.service === mapping.service &&
            alarm.properties.MetricName === 'IteratorAge' &&
            alarm.properties.Namespace === 'AWS/Lambda' &&
            referencedId((alarm.properties.Dimensions as { Value: unknown }[])[0]?.Value) === functionId,
        );
        expect(iteratorAlarm?.properties).toEqual(
          expect.objectContaining({ ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Maximum' }),
        );
        expect(Number(iteratorAlarm?.properties.Threshold)).toBeGreaterThan(0);
        expect(iteratorAlarm !== undefined && notifiesTopic(iteratorAlarm)).toBe(true);

        const consumer = `${mapping.service}/${String(functionId).replace(/LambdaFunction$/, '')}`;
        const destination = (mapping.properties.DestinationConfig as { OnFailure?: { Destination: unknown } })
          ?.OnFailure?.Destination;
        if (destination === undefined) {
          expect({ consumer, reason: STREAM_CONSUMERS_WITHOUT_FAILURE_QUEUE[consumer] }).toEqual({
            consumer,
            reason: expect.stringMatching(/\S/),
          });
          return;
        }
        const queue = queues.find(
          (candidate) =>
            candidate.service === mapping.service && candidate.logicalId === referencedId(destination),
        );
        expect(queue).toBeDefined();
        const depthAlarm = alarms.find(
          (alarm) =>
            alarm.service === mapping.service &&
            alarm.properties.Namespace === 'AWS/SQS' &&
            alarm.properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            referencedId((alarm.properties.Dimensions as { Value: unknown }[])[0]?.Value) ===
              queue?.logicalId,
        );
        // one parked record is one lost update: the alarm fires on the first message
        expect(depthAlarm?.properties).toEqual(
          expect.objectContaining({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' }),
        );
        expect(depthAlarm !== undefined && notifiesTopic(depthAlarm)).toBe(true);
      },
    );

    it('names its alarms with the stage, and exports the topic so that on-call can subscribe', () => {
      for (const alarm of alarms)
        expect(String(alarm.properties.AlarmName)).toMatch(new RegExp(`^kupala-${stage}-`));
      for (const service of services.filter((candidate) =>
        topics.some((topic) => topic.service === candidate.name),
      )) {
        expect(Object.keys(service.outputs)).toContain('AlarmTopicArn');
      }
    });

    const invokeConfigs = resourcesOfType(services, 'AWS::Lambda::EventInvokeConfig');
    it('parks a failed batch of the asynchronous EOD worker (after 2 retries) in an encrypted queue with a depth alarm', () => {
      const eod = invokeConfigs.find(
        (config) =>
          config.service === 'positions' &&
          referencedId(config.properties.FunctionName) === 'BuildEodLambdaFunction',
      );
      expect(eod?.properties.MaximumRetryAttempts).toBe(2);
      const destination = (eod?.properties.DestinationConfig as { OnFailure?: { Destination: unknown } })
        ?.OnFailure?.Destination;
      const queue = queues.find(
        (candidate) => candidate.service === 'positions' && candidate.logicalId === referencedId(destination),
      );
      expect(queue?.logicalId).toBe('EodBatchFailures');
      expect(queue?.properties.SqsManagedSseEnabled).toBe(true);
      const depthAlarm = alarms.find(
        (alarm) =>
          alarm.service === 'positions' &&
          alarm.properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          referencedId((alarm.properties.Dimensions as { Value: unknown }[])[0]?.Value) ===
            'EodBatchFailures',
      );
      // one parked batch is up to 100 portfolios without their day: the alarm fires on the first message
      expect(depthAlarm?.properties).toEqual(
        expect.objectContaining({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' }),
      );
      expect(depthAlarm !== undefined && notifiesTopic(depthAlarm)).toBe(true);
    });
  });
}
