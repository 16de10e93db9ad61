// After `serverless deploy`: builds the web client and uploads it, with config.json, to this stage's site bucket
// (src/upload-site.ts, run through tsx). `serverless package` uploads nothing.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

class DeploySite {
  constructor(serverless, _options, { log }) {
    this.serverless = serverless;
    this.log = log;
    this.hooks = { 'after:deploy:deploy': () => this.upload() };
  }

  async upload() {
    const provider = this.serverless.getProvider('aws');
    const { Stacks } = await provider.request('CloudFormation', 'describeStacks', {
      StackName: provider.naming.getStackName(),
    });
    const outputs = Object.fromEntries((Stacks[0].Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    execFileSync(
      path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'),
      [path.join(__dirname, 'src', 'upload-site.ts')],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          AWS_REGION: provider.getRegion(),
          SITE_BUCKET: outputs.SiteBucketName,
          SITE_CONFIG: JSON.stringify(this.serverless.service.custom.siteConfig),
        },
      },
    );
    this.log.notice(`Web client uploaded: ${outputs.WebUrl}`);
  }
}

module.exports = DeploySite;
