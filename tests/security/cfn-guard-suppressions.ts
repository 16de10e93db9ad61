/**
 * Every cfn-guard finding (AWS Control Tower proactive rules shipped in @cdklabs/cdk-validator-cfnguard) that we
 * accept, scoped to the resources it concerns (`<service>/<logicalId>`), each with the reason. A finding not listed
 * here fails tests/security/policy-as-code.infra.test.ts, and so does a suppression that no longer matches anything.
 */
export interface GuardSuppression {
  rule: string;
  resources: RegExp;
  reason: string;
}

export const GUARD_SUPPRESSIONS: GuardSuppression[] = [
  {
    rule: 'api_gw_v2_authorization_type_configured_check',
    resources: /^trades\/HttpApiRouteGet(Health|Openapijson)$/,
    reason: 'GET /health and GET /openapi.json are public by the contract (api.md, auth: false)',
  },
  {
    rule: 'api_gw_v2_authorization_type_configured_check',
    resources: /^positions\/[A-Za-z]+WebsocketsRoute$/,
    reason:
      'API Gateway takes an authorizer on a WebSocket API’s $connect route only (it has one); every later message ' +
      'runs on that authorized connection, and the handlers take the owner from the stored connection',
  },
  {
    rule: 'api_gw_v2_access_logs_enabled_check',
    resources: /^positions\/WebsocketsDeploymentStage$/,
    reason:
      'WebSocket stage logging needs the account-wide API Gateway CloudWatch role, which osls sets through a ' +
      'custom-resource Lambda with iam:PassRole and account-level apigateway rights; set that role once per ' +
      'account outside these stacks, then turn on provider.logs.websocket (README, Security)',
  },
  {
    rule: 'cloudwatch_log_group_encrypted_check',
    resources: /LogGroup$/,
    reason:
      'CloudWatch Logs encrypts every log group at rest with service-managed keys; a customer key per service ' +
      'would add key policies for a revocation we do not need, and our logs carry no secrets (the shared logger ' +
      'redacts tokens and credentials, tested)',
  },
  {
    rule: 'lambda_function_public_access_prohibited_check',
    resources: /Permission(HttpApi|Websockets)?$/,
    reason:
      'the rule recognises only a literal or Ref/GetAtt SourceArn; every permission here carries a ' +
      'Fn::Join/Fn::Sub SourceArn naming this stage’s own API or bucket (and S3 a SourceAccount), proven per ' +
      'permission by tests/infra/least-privilege.infra.test.ts',
  },
  {
    rule: 'lambda_inside_vpc_check',
    resources: /LambdaFunction$/,
    reason:
      'the functions reach only AWS APIs (DynamoDB, S3, SQS, API Gateway) over TLS with IAM, and market data from ' +
      'the internet; a VPC would add NAT or endpoints and cold-start cost with nothing private to protect',
  },
  {
    rule: 's3_bucket_default_encryption_kms_check',
    resources: /Bucket$/,
    reason:
      'SSE-S3 (AES-256) encrypts every object at rest; the one secret we hold, broker credentials, is envelope-' +
      'encrypted with KMS by our code (issue #8 item 5), not stored in S3',
  },
  {
    rule: 's3_bucket_logging_enabled_check',
    resources: /Bucket$/,
    reason:
      'objects are reached only through the functions’ roles; object-level access is recorded by CloudTrail data ' +
      'events, configured once per account, rather than by a log bucket per stack',
  },
  {
    rule: 's3_event_notifications_enabled_check',
    resources: /^(trades|positions|market-data|ml-analysis)\/(ServerlessDeploymentBucket|DatasetsBucket)$/,
    reason:
      'nothing consumes object events of deployment artefacts or datasets (the imports bucket has its trigger)',
  },
  {
    rule: 's3_bucket_object_lock_enabled_check',
    resources: /Bucket$/,
    reason:
      'Object Lock would forbid the deletions data minimisation requires (import sources 30 days, exports 1 day, ' +
      'deleted datasets 7 days); versioning plus these lifecycle rules are the recovery window',
  },
  {
    rule: 'sqs_dlq_check',
    resources:
      /^(positions\/(TradeEventsFailures|RevaluationFailures|EodResnapshotFailures|EodBatchFailures)|trades\/PurgePortfolioFailures)$/,
    reason:
      'these queues are the dead-letter destinations of the stream consumers and of the asynchronous EOD worker; nothing receives from them (an ' +
      'operator replays by hand after the depth alarm), so there is no consumer whose failures a DLQ could catch',
  },
];
