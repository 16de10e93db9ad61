import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadOrCreateLocalCredentialsKey,
  localCredentialsEnvironment,
} from '../../packages/local-stack/src/credentials-key';
import {
  LOCAL_REGION,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from '../../packages/local-stack/src/dynamodb-local';
import { loadOrCreateLocalIssuer, localAuthEnvironment } from '../../packages/local-stack/src/issuer';
import { createBuckets, type RunningLocalS3, startLocalS3 } from '../../packages/local-stack/src/local-s3';
import {
  bucketNamesFromResources,
  packagedTemplatePath,
  readPackagedResources,
  resourceNamesFromResources,
  resourceNameVariablesFromResources,
} from '../../packages/local-stack/src/service-templates';
import { createTables, tableInputsFromResources } from '../../packages/local-stack/src/tables';
import { startLambdaInvokeStub } from '../support/lambda-invoke-stub';

/**
 * Integration tests run handlers in-process against AWS's DynamoDB Local and a local S3, with tables and
 * buckets created from the services' packaged CloudFormation (`pnpm run package:test`, stage `test`), and
 * tokens from a throwaway issuer. Everything reaches the Jest workers through process.env.
 */

export interface IntegrationPlatform {
  dynamodb: RunningDynamoDbLocal;
  s3: RunningLocalS3;
  issuerDir: string;
}

declare global {
  // Shared with the global teardown (same process).
  var __KUPALA_INTEGRATION__: IntegrationPlatform | undefined;
}

const repoRoot = join(__dirname, '..', '..');

const packagedServiceDirs = (): string[] => {
  const servicesDir = join(repoRoot, 'services');
  return readdirSync(servicesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(servicesDir, entry.name))
    .filter((dir) => existsSync(packagedTemplatePath(dir)));
};

export default async function integrationGlobalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = Date.now();
  const [dynamodb, s3, issuerDir] = await Promise.all([
    startDynamoDbLocal(),
    startLocalS3(),
    mkdtemp(join(tmpdir(), 'kupala-test-issuer-')),
  ]);
  globalThis.__KUPALA_INTEGRATION__ = { dynamodb, s3, issuerDir };
  try {
    await prepareResources(dynamodb, s3, issuerDir, started);
  } catch (error: unknown) {
    // Jest runs no global teardown when the setup fails: stop what was started here.
    globalThis.__KUPALA_INTEGRATION__ = undefined;
    await Promise.allSettled([dynamodb.stop(), s3.stop(), rm(issuerDir, { recursive: true, force: true })]);
    throw error;
  }
}

async function prepareResources(
  dynamodb: RunningDynamoDbLocal,
  s3: RunningLocalS3,
  issuerDir: string,
  started: number,
): Promise<void> {
  const issuer = await loadOrCreateLocalIssuer(issuerDir);
  // a fresh raw AES key per run, in the throwaway directory (the credentials keyring of the test stage)
  const credentialsKey = await loadOrCreateLocalCredentialsKey(issuerDir);
  const variables: Record<string, string> = {};
  const owners: Record<string, string> = {};
  const serviceDirs = packagedServiceDirs();
  const templates = await Promise.all(
    serviceDirs.map(async (dir) => ({ dir, resources: await readPackagedResources(dir) })),
  );
  // every service's resource names: a function may name another service's (a function it invokes)
  const everyName = templates.flatMap(({ resources }) => resourceNamesFromResources(resources));
  for (const { dir, resources } of templates) {
    await createTables(dynamodb.endpoint, tableInputsFromResources(resources));
    await createBuckets(s3.endpoint, bucketNamesFromResources(resources));
    for (const [name, value] of Object.entries(resourceNameVariablesFromResources(resources, everyName))) {
      const previous = variables[name];
      if (previous !== undefined && previous !== value) {
        throw new Error(
          `${name} is ${previous} in ${owners[name]} but ${value} in ${dir}: one name, one resource`,
        );
      }
      variables[name] = value;
      owners[name] = dir;
    }
  }
  if (serviceDirs.length === 0) {
    process.stderr.write(
      '\n[integration] no packaged service templates: run `pnpm run package:test` first\n',
    );
  }

  const lambdaStub = await startLambdaInvokeStub();
  Object.assign(process.env, {
    ...variables,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_S3_FORCE_PATH_STYLE: 'true',
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...localAuthEnvironment(issuer),
    ...localCredentialsEnvironment(credentialsKey),
    STAGE: 'test',
    KUPALA_TEST_ISSUER_DIR: issuerDir,
    // routes that queue work for a worker Lambda (POST …/eod), and a first holding's hand-off to market-data,
    // reach this stand-in (it accepts, runs nothing; tests that follow the hand-off run market-data's handler)
    EOD_WORKER_ENDPOINT: lambdaStub.endpoint,
    MARKET_DATA_FOLLOW_ENDPOINT: lambdaStub.endpoint,
  });
  if (process.env.KUPALA_VERBOSE_SETUP === 'true') {
    process.stderr.write(
      `\n[integration] DynamoDB Local ${dynamodb.endpoint}, S3 ${s3.endpoint}, ${serviceDirs.length} services, ` +
        `${Object.keys(variables).join(', ')} in ${Date.now() - started} ms\n`,
    );
  }
}
