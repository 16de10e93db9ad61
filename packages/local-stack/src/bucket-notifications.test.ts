import {
  bucketNotificationTargets,
  deployedFunctionNames,
  forwardObjectEvents,
  type ObjectEvent,
} from './bucket-notifications';

const resources = {
  ImportsBucket: {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: 'kupala-local-imports-000000000000',
      NotificationConfiguration: {
        LambdaConfigurations: [
          {
            Event: 's3:ObjectCreated:*',
            Filter: { S3Key: { Rules: [{ Name: 'suffix', Value: '/source' }] } },
            Function: { 'Fn::GetAtt': ['ProcessImportLambdaFunction', 'Arn'] },
          },
        ],
      },
    },
  },
  OtherBucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'kupala-local-other' } },
};
const config = { service: 'kupala-trades', functions: [{ processImport: { handler: 'x' } }, { health: {} }] };

const objectEvent = (eventName: string, bucket: string, key: string): ObjectEvent => ({
  Records: [{ eventName, s3: { bucket: { name: bucket }, object: { key } } }],
});

describe('forwarding local S3 object events to the functions a bucket notifies', () => {
  it("reads the bucket's LambdaConfigurations and names the deployed function", () => {
    expect(bucketNotificationTargets(resources, deployedFunctionNames(config, 'local'))).toEqual([
      {
        bucket: 'kupala-local-imports-000000000000',
        event: 's3:ObjectCreated:*',
        suffix: '/source',
        functionName: 'kupala-trades-local-processImport',
      },
    ]);
  });

  it('invokes the Lambda endpoint asynchronously for matching records only', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(null, { status: 202 });
    }) as typeof fetch;
    const targets = bucketNotificationTargets(resources, deployedFunctionNames(config, 'local')).map(
      (target) => ({ target, lambdaUrl: 'http://127.0.0.1:4201' }),
    );
    const forward = forwardObjectEvents(targets, { onError: () => undefined, fetchImpl });

    forward(objectEvent('ObjectCreated:Put', 'kupala-local-imports-000000000000', 'u/p/i/source'));
    forward(objectEvent('ObjectCreated:Put', 'kupala-local-imports-000000000000', 'u/p/i/other'));
    forward(objectEvent('ObjectRemoved:Delete', 'kupala-local-imports-000000000000', 'u/p/i/source'));
    forward(objectEvent('ObjectCreated:Put', 'kupala-local-other', 'u/p/i/source'));
    await new Promise((resolve) => setImmediate(resolve));

    expect(calls.map((call) => call.url)).toEqual([
      'http://127.0.0.1:4201/2015-03-31/functions/kupala-trades-local-processImport/invocations',
    ]);
    expect(calls[0]?.init.headers).toMatchObject({ 'x-amz-invocation-type': 'Event' });
    expect(JSON.parse(String(calls[0]?.init.body)).Records[0].s3.object.key).toBe('u/p/i/source');
  });
});
