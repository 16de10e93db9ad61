// Package-time hardening shared by every Kupala service (issue #8 item 4), applied to the compiled template so
// that a function, table, queue or stream a service adds later falls under it without a line in its
// serverless.yml. tests/infra/least-privilege.infra.test.ts and data-at-rest.infra.test.ts prove the result.
//
// - Every API Gateway Lambda permission osls leaves without `SourceArn` (the WebSocket routes and the `$connect`
//   authorizer) is scoped to this service's own WebSocket API: no other API in the account may invoke it.
// - Tables get deletion protection on deployable stages (`prod`, or `custom.deletionProtection: true`).
// - Stream consumers and their failure queues get CloudWatch alarms (queue depth > 0, iterator age) that notify an
//   encrypted SNS topic of the service (`AlarmTopicArn` output; subscribe the on-call address to it).
// - Each traced function's own role (serverless-iam-roles-per-function) gets the two X-Ray write actions, which
//   that plugin leaves out; X-Ray has no resource-level permissions, so these are the only `Resource: *`.
// - osls's deployment bucket (versioned, see shared.yml) drops old artefact versions after 30 days, and its TLS-only
//   policy is written in the form the cfn-guard rule CT.S3.PR.8 recognises (same meaning).
// - osls's default role is dropped when no function runs with it (it carries broad @connections and SQS rights
//   for the stream destinations that the per-function roles already hold, scoped).

const PROTECTED_STAGES = new Set(['prod']);
/** A stream consumer this far behind (ms) is stuck on a record or starved: live positions are stale. */
const ITERATOR_AGE_THRESHOLD_MS = 60_000;
const ALARM_TOPIC = 'AlarmTopic';

const alarmName = (stage, service, what) => `kupala-${stage}-${service.replace(/^kupala-/, '')}-${what}`;
const refId = (value) =>
  typeof value === 'object' && value !== null
    ? (value.Ref ?? (Array.isArray(value['Fn::GetAtt']) ? value['Fn::GetAtt'][0] : undefined))
    : undefined;

class HardeningPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.harden() };
  }

  harden() {
    const { service } = this.serverless;
    const stage = service.provider.stage;
    const template = service.provider.compiledCloudFormationTemplate;
    const resources = { ...template.Resources, ...service.resources?.Resources };
    this.scopeApiGatewayPermissions(template);
    const protect = PROTECTED_STAGES.has(stage) || service.custom?.deletionProtection === true;
    for (const [, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::DynamoDB::Table') continue;
      resource.Properties = { ...resource.Properties, DeletionProtectionEnabled: protect };
    }
    this.addAlarms(template, resources, stage, service.service);
    this.grantTracing(template);
    this.tidyDeploymentBucket(template);
    this.dropUnusedDefaultRole(template);
  }

  grantTracing(template) {
    for (const fn of Object.values(template.Resources)) {
      if (fn.Type !== 'AWS::Lambda::Function' || fn.Properties?.TracingConfig?.Mode !== 'Active') continue;
      const role = template.Resources[refId(fn.Properties.Role)];
      if (role?.Type !== 'AWS::IAM::Role' || role.Properties.Policies?.[0] === undefined) continue;
      const statements = role.Properties.Policies[0].PolicyDocument.Statement;
      if (JSON.stringify(statements).includes('xray:PutTraceSegments')) continue;
      statements.push({
        Effect: 'Allow',
        Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        Resource: ['*'],
      });
    }
  }

  tidyDeploymentBucket(template) {
    const bucket = template.Resources.ServerlessDeploymentBucket;
    const policy = template.Resources.ServerlessDeploymentBucketPolicy;
    if (bucket === undefined) return;
    bucket.Properties.LifecycleConfiguration = {
      Rules: [
        {
          Id: 'expire-old-artefacts',
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    };
    const arn = { 'Fn::GetAtt': ['ServerlessDeploymentBucket', 'Arn'] };
    for (const statement of policy?.Properties.PolicyDocument.Statement ?? []) {
      if (statement.Effect !== 'Deny' || statement.Condition?.Bool?.['aws:SecureTransport'] === undefined)
        continue;
      statement.Resource = [arn, { 'Fn::Join': ['', [arn, '/*']] }];
      statement.Condition = { Bool: { 'aws:SecureTransport': 'false' } };
    }
  }

  dropUnusedDefaultRole(template) {
    const { IamRoleLambdaExecution: defaultRole, ...others } = template.Resources;
    if (defaultRole === undefined) return;
    if (JSON.stringify({ others, outputs: template.Outputs }).includes('"IamRoleLambdaExecution"')) return;
    delete template.Resources.IamRoleLambdaExecution;
  }

  scopeApiGatewayPermissions(template) {
    if (template.Resources.WebsocketsApi === undefined) return;
    for (const resource of Object.values(template.Resources)) {
      const properties = resource.Properties ?? {};
      if (resource.Type !== 'AWS::Lambda::Permission') continue;
      if (properties.Principal !== 'apigateway.amazonaws.com' || properties.SourceArn !== undefined) continue;
      properties.SourceArn = {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub, not a JS template
        'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebsocketsApi}/*',
      };
    }
  }

  addAlarms(template, resources, stage, serviceName) {
    const alarms = {};
    const failureQueues = new Set();
    for (const [id, resource] of Object.entries(resources)) {
      if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
      const properties = resource.Properties ?? {};
      const source = JSON.stringify(properties.EventSourceArn ?? '');
      if (!/dynamodb|StreamArn|stream/i.test(source)) continue;
      const fn = refId(properties.FunctionName);
      alarms[`${id}IteratorAgeAlarm`] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: alarmName(stage, serviceName, `${id}-iterator-age`),
          AlarmDescription: `${fn} is more than ${ITERATOR_AGE_THRESHOLD_MS / 1000} s behind its stream`,
          Namespace: 'AWS/Lambda',
          MetricName: 'IteratorAge',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 5,
          Threshold: ITERATOR_AGE_THRESHOLD_MS,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: ALARM_TOPIC }],
          OKActions: [{ Ref: ALARM_TOPIC }],
        },
      };
      const queue = refId(properties.DestinationConfig?.OnFailure?.Destination);
      if (queue !== undefined && resources[queue]?.Type === 'AWS::SQS::Queue') failureQueues.add(queue);
    }
    // an asynchronously invoked function's on-failure queue (Lambda parks the event after its retries)
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
      const queue = refId(resource.Properties?.DestinationConfig?.OnFailure?.Destination);
      if (queue !== undefined && resources[queue]?.Type === 'AWS::SQS::Queue') failureQueues.add(queue);
    }
    for (const queue of failureQueues) {
      alarms[`${queue}DepthAlarm`] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: alarmName(stage, serviceName, `${queue}-depth`),
          AlarmDescription: `an event (a stream record or an asynchronous invocation) was given up on and parked in ${queue}: inspect and replay it`,
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          AlarmActions: [{ Ref: ALARM_TOPIC }],
          OKActions: [{ Ref: ALARM_TOPIC }],
        },
      };
    }
    if (Object.keys(alarms).length === 0) return;
    template.Resources[ALARM_TOPIC] = {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: alarmName(stage, serviceName, 'alarms'),
        KmsMasterKeyId: 'alias/aws/sns',
      },
    };
    Object.assign(template.Resources, alarms);
    template.Outputs = {
      ...template.Outputs,
      AlarmTopicArn: {
        Description: 'Alarms of this service (stream lag, parked failures): subscribe the on-call address',
        Value: { Ref: ALARM_TOPIC },
      },
    };
  }
}

module.exports = HardeningPlugin;
