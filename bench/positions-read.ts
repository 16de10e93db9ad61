import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
// Relative imports: the root package does not depend on the workspace packages by name.
import {
  createTables,
  LOCAL_REGION,
  loadOrCreateLocalIssuer,
  localAuthEnvironment,
  localAwsCredentials,
  readPackagedResources,
  resourceNameVariablesFromResources,
  startDynamoDbLocal,
  tableInputsFromResources,
} from '../packages/local-stack/src';
import { lambdaBuildOptions } from '../services/trades/src/domain/imports/measure';
import type { measurePositionsRead } from './positions-read-measure';
import { againstTarget, firstLine, type ResultRow } from './table';

export const POSITIONS_READ = { positions: 500, warmup: 50, requests: 500, p99TargetMs: 50 } as const;

/**
 * Issue 6: GET …/positions of a 500-position portfolio against DynamoDB Local. The measurement module is
 * bundled like Lambda code (middy is ESM-only; tsx runs this workspace as CommonJS) and imported here, with
 * the Trades, Positions and MarketData tables created from the bench-stage packaged templates.
 */
export const positionsReadRows = async (packagedServiceDirs: readonly string[]): Promise<ResultRow[]> => {
  const measurement = `GET positions (${POSITIONS_READ.positions} positions), p99`;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-positions-'));
  const dynamo = await startDynamoDbLocal();
  try {
    const names: Record<string, string> = {};
    for (const dir of packagedServiceDirs) {
      const resources = await readPackagedResources(dir);
      await createTables(dynamo.endpoint, tableInputsFromResources(resources));
      Object.assign(names, resourceNameVariablesFromResources(resources));
    }
    const issuer = await loadOrCreateLocalIssuer(workDir);
    Object.assign(process.env, {
      ...names,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: localAwsCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localAwsCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      ...localAuthEnvironment(issuer),
      // the local issuer's keys are trusted only on a local stage
      STAGE: 'local',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const outfile = path.join(workDir, 'positions-read-measure.js');
    await build({
      ...(await lambdaBuildOptions()),
      entryPoints: [path.join(__dirname, 'positions-read-measure.ts')],
      outfile,
      external: [],
      logLevel: 'error',
    });
    const { measurePositionsRead: measure } = (await import(outfile)) as {
      measurePositionsRead: typeof measurePositionsRead;
    };
    const token = await issuer.signAccessToken('bench-positions');
    const sub = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
      .sub as string;
    const result = await measure({ sub, token, ...POSITIONS_READ });
    const subject = `${POSITIONS_READ.requests} sequential requests after ${POSITIONS_READ.warmup} warm-up, body ${(result.bodyBytes / 1024).toFixed(0)} KB`;
    return [
      {
        measurement: `GET positions (${POSITIONS_READ.positions} positions), p50`,
        subject,
        value: `${result.p50Ms.toFixed(1)} ms`,
        target: '-',
        result: 'info',
      },
      {
        measurement,
        subject,
        value: `${result.p99Ms.toFixed(1)} ms`,
        target: `<= ${POSITIONS_READ.p99TargetMs} ms`,
        result: againstTarget(result.p99Ms, POSITIONS_READ.p99TargetMs),
      },
    ];
  } catch (error: unknown) {
    return [
      { measurement, subject: '-', value: `crashed: ${firstLine(error)}`, target: '-', result: 'FAILED' },
    ];
  } finally {
    await dynamo.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
};
