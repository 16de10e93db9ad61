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
import type { measureEodSnapshot, measurePerformanceRead } from './eod-measure';
import { againstTarget, firstLine, type ResultRow } from './table';

export const EOD_BENCH = {
  portfolios: Number(process.env.BENCH_EOD_PORTFOLIOS ?? 1000),
  positions: 50,
  day: '2026-11-30',
  /** Worker invocations (batches of up to 100 portfolios) in flight at once in the bench process. */
  invocations: 4,
  /**
   * `off` creates the tables without their DynamoDB Streams: DynamoDB Local's stream bookkeeping (shard
   * rollover, stream records) is what slows it down as the seeded tables grow; see bench/README.md.
   */
  streams: process.env.BENCH_EOD_STREAMS === 'off' ? ('off' as const) : ('on' as const),
  snapshotTargetSeconds: 60,
  performanceYears: 10,
  warmup: 5,
  requests: 30,
  performanceTargetMs: 50,
} as const;

/**
 * Issue 9: the nightly EOD snapshot of 1,000 portfolios × 50 positions, and GET …/performance over 10 years of
 * daily history, against DynamoDB Local with the tables of the bench-stage packaged templates. The measurement
 * module is bundled like Lambda code (middy is ESM-only; tsx runs this workspace as CommonJS).
 */
export const eodRows = async (packagedServiceDirs: readonly string[]): Promise<ResultRow[]> => {
  const snapshotMeasurement = `EOD snapshot, ${EOD_BENCH.portfolios} portfolios × ${EOD_BENCH.positions} positions`;
  const performanceMeasurement = `GET performance, ${EOD_BENCH.performanceYears} years of daily history, p50`;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bench-eod-'));
  const dynamo = await startDynamoDbLocal();
  const rows: ResultRow[] = [];
  try {
    const names: Record<string, string> = {};
    for (const dir of packagedServiceDirs) {
      const resources = await readPackagedResources(dir);
      const tables = tableInputsFromResources(resources);
      await createTables(
        dynamo.endpoint,
        EOD_BENCH.streams === 'on'
          ? tables
          : tables.map((table) => ({ ...table, StreamSpecification: undefined })),
      );
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
      POWERTOOLS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'SILENT',
      // the local issuer's keys verify the bench's tokens (allowed on the local stage only)
      STAGE: 'local',
    });
    const outfile = path.join(workDir, 'eod-measure.js');
    await build({
      ...(await lambdaBuildOptions()),
      entryPoints: [path.join(__dirname, 'eod-measure.ts')],
      outfile,
      external: [],
      logLevel: 'error',
    });
    const measure = (await import(outfile)) as {
      measureEodSnapshot: typeof measureEodSnapshot;
      measurePerformanceRead: typeof measurePerformanceRead;
    };
    try {
      const snapshot = await measure.measureEodSnapshot(EOD_BENCH);
      const perPortfolio = (value: number) => value / EOD_BENCH.portfolios;
      const operations = Object.entries(snapshot.byOperation)
        .map(([operation, count]) => `${operation} ${perPortfolio(count).toFixed(2)}`)
        .join(', ');
      const subject = `one day each: the buildEod worker on ${snapshot.batches} batches, ${EOD_BENCH.invocations} in flight in one process; streams ${EOD_BENCH.streams}`;
      rows.push(
        {
          measurement: snapshotMeasurement,
          subject: `${subject} (seeded ${snapshot.trades} trade items and ${snapshot.closes} closes in ${snapshot.seedSeconds.toFixed(0)} s)`,
          value: `${snapshot.seconds.toFixed(1)} s`,
          target: `<= ${EOD_BENCH.snapshotTargetSeconds} s`,
          result: againstTarget(snapshot.seconds, EOD_BENCH.snapshotTargetSeconds),
        },
        {
          measurement:
            'EOD nightly run, scheduleEod: the list of portfolios into batches (before the snapshot)',
          subject: `${snapshot.listQueries} queries of the EOD table's list (16 partitions): grows with the portfolios, not their trades`,
          value: `${snapshot.listSeconds.toFixed(2)} s`,
          target: '-',
          result: 'info',
        },
        {
          measurement: 'EOD snapshot, time per portfolio',
          subject,
          value: `${((snapshot.seconds * 1000) / EOD_BENCH.portfolios).toFixed(1)} ms`,
          target: '-',
          result: 'info',
        },
        {
          measurement: 'EOD snapshot, DynamoDB requests per portfolio (load-robust)',
          subject: operations,
          value: perPortfolio(snapshot.requests).toFixed(2),
          target: '-',
          result: 'info',
        },
      );
    } catch (error: unknown) {
      rows.push({
        measurement: snapshotMeasurement,
        subject: '-',
        value: `crashed: ${firstLine(error)}`,
        target: '-',
        result: 'FAILED',
      });
    }
    const token = await issuer.signAccessToken('bench-performance');
    const sub = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
      .sub as string;
    const read = await measure.measurePerformanceRead({
      sub,
      token,
      years: EOD_BENCH.performanceYears,
      warmup: EOD_BENCH.warmup,
      requests: EOD_BENCH.requests,
    });
    const subject = `${read.days} daily items, ${EOD_BENCH.requests} sequential requests after ${EOD_BENCH.warmup} warm-up`;
    rows.push(
      {
        measurement: performanceMeasurement,
        subject,
        value: `${read.p50Ms.toFixed(1)} ms`,
        target: `<= ${EOD_BENCH.performanceTargetMs} ms`,
        result: againstTarget(read.p50Ms, EOD_BENCH.performanceTargetMs),
      },
      {
        measurement: `GET performance, ${EOD_BENCH.performanceYears} years of daily history, p99`,
        subject,
        value: `${read.p99Ms.toFixed(1)} ms`,
        target: '-',
        result: 'info',
      },
    );
  } catch (error: unknown) {
    rows.push({
      measurement: performanceMeasurement,
      subject: '-',
      value: `crashed: ${firstLine(error)}`,
      target: '-',
      result: 'FAILED',
    });
  } finally {
    await dynamo.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  return rows;
};
