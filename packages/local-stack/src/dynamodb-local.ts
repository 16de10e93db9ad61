import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { extract } from 'tar';
import { findFreePort, isPortFree, PortInUseError } from './ports';
import { OutputTail, spawnProcessGroup, waitUntilReady } from './process-groups';
import { kupalaCacheDir } from './workspace';

const execFileAsync = promisify(execFile);

/** npm package that ships AWS's DynamoDB Local jar (1.25.1) under emulator/. Fetched, never installed. */
export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator';
export const DYNAMODB_LOCAL_PACKAGE_VERSION = '2.9.30';
export const DYNAMODB_LOCAL_PACKAGE_INTEGRITY =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';

const COMPLETE_MARKER = '.kupala-complete';

export interface DynamoDbLocalInstallation {
  emulatorDir: string;
  jarPath: string;
  libraryPath: string;
  /** False when this call downloaded and extracted the package. */
  fromCache: boolean;
}

export class IntegrityMismatchError extends Error {
  override readonly name = 'IntegrityMismatchError';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `Refusing ${DYNAMODB_LOCAL_PACKAGE}@${DYNAMODB_LOCAL_PACKAGE_VERSION}: integrity ${actual}, expected ${expected}`,
    );
  }
}

export const dynamoDbLocalCacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  join(kupalaCacheDir(env), 'dynamodb-local', DYNAMODB_LOCAL_PACKAGE_VERSION);

const installationIn = (cacheDir: string, fromCache: boolean): DynamoDbLocalInstallation => {
  const emulatorDir = join(cacheDir, 'emulator');
  return {
    emulatorDir,
    jarPath: join(emulatorDir, 'DynamoDBLocal.jar'),
    libraryPath: join(emulatorDir, 'DynamoDBLocal_lib'),
    fromCache,
  };
};

const isComplete = (installation: DynamoDbLocalInstallation): boolean =>
  existsSync(installation.jarPath) && existsSync(join(installation.emulatorDir, COMPLETE_MARKER));

/** Subresource-integrity string (`sha512-<base64>`) of a file. */
export const sha512Integrity = async (file: string): Promise<string> => {
  const hash = createHash('sha512');
  await pipeline(createReadStream(file), hash);
  return `sha512-${hash.digest('base64')}`;
};

const packTarball = async (destination: string): Promise<string> => {
  const spec = `${DYNAMODB_LOCAL_PACKAGE}@${DYNAMODB_LOCAL_PACKAGE_VERSION}`;
  try {
    await execFileAsync('npm', ['pack', spec, '--pack-destination', destination, '--silent'], {
      cwd: destination,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error: unknown) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`npm pack ${spec} failed: ${stderr.trim() || String(error)}`, { cause: error });
  }
  const tarball = (await readdir(destination)).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack ${spec} produced no tarball`);
  return join(destination, tarball);
};

/**
 * Makes AWS's DynamoDB Local jar available in the machine cache (outside git) and returns where it is.
 * First run: `npm pack` into a private temp dir, verify the pinned sha512, extract only package/emulator/,
 * then publish it with one atomic rename, so concurrent callers never see a half-extracted emulator.
 */
export const ensureDynamoDbLocal = async (
  options: {
    cacheDir?: string;
    log?: (message: string) => void;
    /** The tarball's expected SRI hash; the pinned one unless a test says otherwise. */
    integrity?: string;
  } = {},
): Promise<DynamoDbLocalInstallation> => {
  const cacheDir = options.cacheDir ?? dynamoDbLocalCacheDir();
  const expectedIntegrity = options.integrity ?? DYNAMODB_LOCAL_PACKAGE_INTEGRITY;
  const cached = installationIn(cacheDir, true);
  if (isComplete(cached)) return cached;

  await mkdir(cacheDir, { recursive: true });
  const workDir = join(cacheDir, `.download-${process.pid}-${randomUUID()}`);
  await mkdir(workDir);
  try {
    options.log?.(
      `Fetching ${DYNAMODB_LOCAL_PACKAGE}@${DYNAMODB_LOCAL_PACKAGE_VERSION} (DynamoDB Local jar) …`,
    );
    const tarball = await packTarball(workDir);
    const integrity = await sha512Integrity(tarball);
    if (integrity !== expectedIntegrity) throw new IntegrityMismatchError(expectedIntegrity, integrity);
    const extractDir = join(workDir, 'extract');
    await mkdir(extractDir);
    await extract({
      file: tarball,
      cwd: extractDir,
      strip: 1,
      filter: (path) => path.startsWith('package/emulator/'),
    });
    const staged = installationIn(extractDir, false);
    if (!existsSync(staged.jarPath)) throw new Error(`${tarball} has no emulator/DynamoDBLocal.jar`);
    await writeFile(join(staged.emulatorDir, COMPLETE_MARKER), `${integrity}\n`);
    try {
      await rename(staged.emulatorDir, cached.emulatorDir);
    } catch (error: unknown) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another process published first (or a stale incomplete copy is in the way).
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      if (!isComplete(cached)) {
        const stale = join(workDir, 'stale');
        await rename(cached.emulatorDir, stale).catch(() => undefined);
        await rename(staged.emulatorDir, cached.emulatorDir);
      }
    }
    return installationIn(cacheDir, false);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
};

export interface DynamoDbLocalOptions {
  port?: number;
  /** Keep tables on disk in this directory instead of in memory. */
  persistDir?: string;
  cacheDir?: string;
  log?: (message: string) => void;
  /** Receives every line the JVM prints. */
  onOutput?: (line: string) => void;
  startTimeoutMs?: number;
  /** Aborting stops the JVM and rejects. */
  signal?: AbortSignal;
}

export interface RunningDynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** True once the JVM has exited (stopped or crashed). */
  hasExited(): boolean;
  stop(): Promise<void>;
}

export const localAwsCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

/** Starts DynamoDB Local (in memory, or persisted with persistDir) and resolves once it answers ListTables. */
export const startDynamoDbLocal = async (
  options: DynamoDbLocalOptions = {},
): Promise<RunningDynamoDbLocal> => {
  const installation = await ensureDynamoDbLocal({ cacheDir: options.cacheDir, log: options.log });
  const port = options.port ?? (await findFreePort());
  // A server already on the port would answer the readiness probe in place of ours.
  if (options.port !== undefined && !(await isPortFree(port))) {
    throw new PortInUseError(port, 'DynamoDB Local', undefined);
  }
  const storage = options.persistDir === undefined ? ['-inMemory'] : ['-dbPath', options.persistDir];
  if (options.persistDir !== undefined) await mkdir(options.persistDir, { recursive: true });
  const tail = new OutputTail();
  const java = spawnProcessGroup(
    'java',
    [
      `-Djava.library.path=${installation.libraryPath}`,
      // Start-up matters more than peak throughput for a local emulator.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-jar',
      installation.jarPath,
      ...storage,
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    {
      cwd: installation.emulatorDir,
      onLine: (line) => {
        tail.push(line);
        options.onOutput?.(line);
      },
    },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: localAwsCredentials,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
  });
  try {
    await waitUntilReady(
      `DynamoDB Local on port ${port}`,
      async () => {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      {
        timeoutMs: options.startTimeoutMs ?? 60_000,
        intervalMs: 100,
        process: java,
        lastOutput: () => tail.text(),
        signal: options.signal,
      },
    );
  } finally {
    client.destroy();
  }
  return { endpoint, port, pid: java.pid, hasExited: () => java.hasExited(), stop: () => java.stop() };
};
