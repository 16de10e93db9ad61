import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { listZipEntries } from './zip';

/** A function artifact `serverless package` produced, with what the bench needs to know about it. */
export interface PackagedFunction {
  service: string;
  name: string;
  zipPath: string;
  zipBytes: number;
  /** Path of the handler file inside the zip, e.g. `src/functions/bookTrade/handler.js`. */
  handlerEntry: string;
  handlerExport: string;
  /** Unzipped size of the handler file: the minified bundle. */
  handlerBytes: number;
  /** Environment of the function as deployed; CloudFormation references become undefined. */
  environment: Record<string, string | undefined>;
}

export type ServicePackage =
  | {
      service: string;
      status: 'packaged';
      serviceDir: string;
      packagedDir: string;
      functions: PackagedFunction[];
    }
  | { service: string; status: 'failed'; error: string };

interface ServerlessState {
  service?: {
    provider?: { environment?: Record<string, unknown> };
    functions?: Record<string, { handler?: string; environment?: Record<string, unknown> }>;
  };
}

const run = (
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> =>
  new Promise((resolveRun, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', SLS_TELEMETRY_DISABLED: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolveRun({ code, output }));
  });

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colour codes
const ANSI = /\u001b\[[0-9;]*m/g;

const failureSummary = (output: string): string => {
  const lines = output
    .replace(ANSI, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('Packaging '));
  const errorAt = lines.findIndex((line) => /error/i.test(line));
  const relevant = errorAt === -1 ? lines.slice(-2) : lines.slice(errorAt, errorAt + 2);
  return relevant
    .join(' ')
    .replace(/^Error:\s*/, '')
    .slice(0, 160);
};

const toEnvironment = (variables: Record<string, unknown> | undefined): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries(variables ?? {}).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : undefined,
    ]),
  );

const describeFunction = (service: string, zipPath: string, state: ServerlessState): PackagedFunction => {
  const name = path.basename(zipPath, '.zip');
  const definition = state.service?.functions?.[name];
  const handler = definition?.handler ?? '';
  const dot = handler.lastIndexOf('.');
  const entries = listZipEntries(readFileSync(zipPath));
  const expected = `${handler.slice(0, dot)}.js`;
  const handlerFile =
    entries.find((entry) => entry.name === expected) ??
    entries.filter((entry) => entry.name.endsWith('.js')).sort((a, b) => b.size - a.size)[0];
  if (handlerFile === undefined) throw new Error(`${zipPath} holds no JavaScript file`);
  return {
    service,
    name,
    zipPath,
    zipBytes: readFileSync(zipPath).length,
    handlerEntry: handlerFile.name,
    handlerExport: dot === -1 ? 'handler' : handler.slice(dot + 1),
    handlerBytes: handlerFile.size,
    environment: {
      ...toEnvironment(state.service?.provider?.environment),
      ...toEnvironment(definition?.environment),
    },
  };
};

/**
 * Runs `serverless package --stage <stage>` in a service and collects its function zips.
 * Artifacts go to `<outRoot>/<service>/artifacts`, linked as `<outRoot>/<service>/.serverless` so that
 * `<outRoot>/<service>` reads like a packaged service dir.
 * serverless always deletes the service's own .serverless/ first; the copy other work relies on (e.g. the
 * infra tests' `--stage test` templates) is saved beforehand and put back unless someone rewrote it meanwhile.
 */
export const packageService = async (
  repoRoot: string,
  serviceDir: string,
  outRoot: string,
  stage: string,
): Promise<ServicePackage> => {
  const service = path.basename(serviceDir);
  // Not named `.serverless`: serverless-esbuild then writes into the service's own .serverless instead.
  const packagedDir = path.join(outRoot, service, 'artifacts');
  const ownArtifacts = path.join(serviceDir, '.serverless');
  const saved = path.join(outRoot, service, 'saved-service-artifacts');
  mkdirSync(path.dirname(packagedDir), { recursive: true });
  if (existsSync(ownArtifacts)) cpSync(ownArtifacts, saved, { recursive: true, preserveTimestamps: true });
  try {
    const bin = path.join(repoRoot, 'node_modules', '.bin', 'serverless');
    const { code, output } = await run(
      bin,
      ['package', '--stage', stage, '--package', packagedDir],
      serviceDir,
    );
    if (code !== 0)
      return { service, status: 'failed', error: failureSummary(output) || `exit code ${code}` };
  } finally {
    if (existsSync(saved) && !existsSync(ownArtifacts)) {
      cpSync(saved, ownArtifacts, { recursive: true, preserveTimestamps: true });
    }
  }
  if (!existsSync(packagedDir))
    return { service, status: 'failed', error: `serverless wrote nothing to ${packagedDir}` };
  // readPackagedResources(dir) and the like look for <dir>/.serverless/.
  symlinkSync(packagedDir, path.join(outRoot, service, '.serverless'));
  const statePath = path.join(packagedDir, 'serverless-state.json');
  const state: ServerlessState = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : {};
  const zips = readdirSync(packagedDir)
    .filter((file) => file.endsWith('.zip'))
    .sort();
  return {
    service,
    status: 'packaged',
    serviceDir,
    packagedDir,
    functions: zips.map((zip) => describeFunction(service, path.join(packagedDir, zip), state)),
  };
};

/** Every service folder under services/, in name order. */
export const serviceDirs = (repoRoot: string): string[] => {
  const root = path.join(repoRoot, 'services');
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, 'serverless.yml')))
    .map((entry) => path.join(root, entry.name))
    .sort();
};
