import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PackagedFunction } from './packaging';
import { median } from './stats';
import { listZipEntries, readZipEntry } from './zip';

const execFileAsync = promisify(execFile);
const PROBE = path.join(__dirname, 'init-probe.cjs');

/** Extracts a function zip into dir (what Lambda puts in /var/task) and returns the handler file path. */
export const extractFunction = (fn: PackagedFunction, dir: string): string => {
  const zip = readFileSync(fn.zipPath);
  for (const entry of listZipEntries(zip)) {
    if (entry.name.endsWith('/')) continue;
    const target = path.resolve(dir, entry.name);
    if (!target.startsWith(`${path.resolve(dir)}${path.sep}`))
      throw new Error(`${fn.zipPath}: unsafe path ${entry.name}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, readZipEntry(zip, entry));
  }
  return path.join(dir, fn.handlerEntry);
};

// CloudFormation references (user pool ids, ARNs …) have no value before a deploy.
const dummyValue = (name: string): string =>
  name.endsWith('USER_POOL_ID') ? 'us-east-1_Bench0000' : `bench-${name.toLowerCase()}`;

/**
 * A Lambda-like environment with no secrets and nothing reachable: the function's own variables,
 * dummies for CloudFormation references, and an unroutable DynamoDB endpoint so a handler that called
 * AWS at init would fail loudly instead of going to the network.
 */
export const initEnvironment = (fn: PackagedFunction, nodePath: readonly string[]): NodeJS.ProcessEnv => {
  const functionVariables = Object.fromEntries(
    Object.entries(fn.environment).map(([name, value]) => [
      name,
      value === undefined ? dummyValue(name) : value,
    ]),
  );
  return {
    PATH: process.env.PATH,
    ...functionVariables,
    // Empty means "not configured" to the handlers: keep the Cognito path, as in AWS.
    AUTH_LOCAL_ISSUER: '',
    AUTH_LOCAL_JWKS: '',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
    AWS_LAMBDA_FUNCTION_NAME: `kupala-${fn.service}-bench-${fn.name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    // The bundles leave @aws-sdk/* external: Lambda's runtime provides it through NODE_PATH, we do too.
    NODE_PATH: nodePath.join(path.delimiter),
  };
};

export interface InitTiming {
  medianMs: number;
  samplesMs: number[];
}

const probeOnce = async (
  fn: PackagedFunction,
  handlerFile: string,
  env: NodeJS.ProcessEnv,
): Promise<number> => {
  const { stdout } = await execFileAsync(process.execPath, [PROBE, handlerFile, fn.handlerExport], {
    env,
    cwd: path.dirname(handlerFile),
    timeout: 60_000,
  });
  const result = JSON.parse(stdout) as { initMs: number; exported: boolean };
  if (!result.exported)
    throw new Error(`${fn.handlerEntry} does not export a function named ${fn.handlerExport}`);
  return result.initMs;
};

/**
 * Median of `runs` cold `require()`s of the handler, each in a fresh node process. One discarded run first
 * puts the files in the OS page cache, so the figure is module evaluation, not this machine's disk.
 */
export const measureInit = async (
  fn: PackagedFunction,
  handlerFile: string,
  env: NodeJS.ProcessEnv,
  runs = 5,
): Promise<InitTiming> => {
  await probeOnce(fn, handlerFile, env);
  const samplesMs: number[] = [];
  for (let run = 0; run < runs; run++) samplesMs.push(await probeOnce(fn, handlerFile, env));
  return { medianMs: median(samplesMs), samplesMs };
};
