import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON; these tests assert its shape
type Json = any;

/** services/web as `pnpm run package:test` compiled it: private bucket, OAC, security headers, same-origin API. */
interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}
const template = JSON.parse(
  readFileSync(join(__dirname, '..', '.serverless', 'cloudformation-template-update-stack.json'), 'utf8'),
) as { Resources: Record<string, Resource>; Outputs: Record<string, unknown> };
const resource = (name: string): Record<string, Json> => {
  const found = template.Resources[name];
  if (found === undefined) throw new Error(`${name} is not in the template`);
  return found.Properties;
};

describe('services/web template', () => {
  it('keeps the site bucket private, encrypted and owner-enforced, with no website hosting', () => {
    const bucket = resource('SiteBucket');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    expect(bucket.BucketName['Fn::Sub']).toBe('kupala-test-web-${AWS::AccountId}');
  });

  it('lets only this distribution read objects (OAC, SourceArn) and refuses plain HTTP', () => {
    const statements = resource('SiteBucketPolicy').PolicyDocument.Statement as Record<string, Json>[];
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
    });
    expect(JSON.stringify(allows[0]?.Condition.StringEquals['AWS:SourceArn'])).toContain(
      'distribution/${Distribution}',
    );
    const deny = statements.find((statement) => statement.Effect === 'Deny');
    expect(deny?.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });

    const oac = resource('SiteOriginAccessControl').OriginAccessControlConfig;
    expect(oac).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const origins = resource('Distribution').DistributionConfig.Origins as Record<string, Json>[];
    const site = origins.find((origin) => origin.Id === 'site');
    expect(site?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': ['SiteOriginAccessControl', 'Id'] });
    expect(site?.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
  });

  it('sends CSP with frame-ancestors none, HSTS, nosniff and DENY on every behaviour', () => {
    const headers = resource('SecurityHeadersPolicy').ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = headers.ContentSecurityPolicy.ContentSecurityPolicy as string;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    // connect-src: this origin, the WebSocket API and the Cognito token endpoint's domain (the PKCE code exchange),
    // nothing broader; package:test leaves cognitoDomain empty, so only the first two are compiled in here
    const connect = /connect-src ([^;]*);/.exec(csp)?.[1]?.trim().split(/\s+/);
    expect(connect).toEqual(["'self'", 'wss://set-by-compose.invalid']);
    const source = readFileSync(join(__dirname, '..', 'serverless.yml'), 'utf8');
    expect(source).toContain("connect-src 'self' ${param:webSocketUrl} ${param:cognitoDomain};");
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
    });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ Override: true, FrameOption: 'DENY' });
    const config = resource('Distribution').DistributionConfig;
    for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: 'SecurityHeadersPolicy' });
      expect(behavior.ViewerProtocolPolicy).toMatch(/^(redirect-to-https|https-only)$/);
    }
  });

  it('serves the API on the same origin, uncached, with the Authorization header forwarded', () => {
    const config = resource('Distribution').DistributionConfig;
    const api = (config.Origins as Record<string, Json>[]).find((origin) => origin.Id === 'api');
    expect(api?.DomainName['Fn::Sub']).toBe('set-by-compose.execute-api.${AWS::Region}.amazonaws.com');
    expect(api?.CustomOriginConfig.OriginProtocolPolicy).toBe('https-only');
    const patterns = (config.CacheBehaviors as Record<string, Json>[]).map(
      (behavior) => behavior.PathPattern,
    );
    expect(patterns).toEqual(expect.arrayContaining(['/portfolios*', '/instruments*', '/quotes*', '/fx*']));
    for (const behavior of config.CacheBehaviors as Record<string, Json>[]) {
      expect(behavior.TargetOriginId).toBe('api');
      // AWS managed CachingDisabled and AllViewerExceptHostHeader (forwards Authorization)
      expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
      expect(behavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    }
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
  });
});
