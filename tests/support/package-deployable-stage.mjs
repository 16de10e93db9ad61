// Packages every service for a deployable stage (prod) with the local issuer's settings planted in the shell, into
// services/<service>/.serverless-prod/, for tests/security/deployable-stage.infra.test.ts. Runs before the `test`
// stage packaging (packaging clears a service's .serverless/), never inside Jest.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PLANTED = {
  KUPALA_AUTH_LOCAL_ISSUER: 'https://planted-local-issuer.invalid',
  KUPALA_AUTH_LOCAL_JWKS: '{"keys":[{"kid":"planted-local-key"}]}',
  // what a developer's shell running the local platform holds (see packages/local-stack)
  KUPALA_WEBSOCKET_CALLBACK_URL: 'http://127.0.0.1:4302',
  KUPALA_ML_ANALYSIS_LAMBDA_PORT: '4999',
  IS_OFFLINE: 'true',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000',
  // 32 bytes of base64 ("planted-local-credentials-key!!!"): must reach no deployed function
  KUPALA_CREDENTIALS_LOCAL_KEY: 'cGxhbnRlZC1sb2NhbC1jcmVkZW50aWFscy1rZXkhISE=',
  // a developer debugging locally: a deployed stage keeps the level reviewed in config/serverless/log-level.yml
  LOG_LEVEL: 'DEBUG',
};
for (const service of ['trades', 'positions', 'market-data', 'ml-analysis']) {
  const dir = path.join(root, 'services', service);
  execFileSync('npx', ['serverless', 'package', '--stage', 'prod', '--package', '.serverless-prod'], {
    cwd: dir,
    env: { ...process.env, ...PLANTED },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.stdout.write(`${service}: packaged for prod into .serverless-prod/\n`);
}
