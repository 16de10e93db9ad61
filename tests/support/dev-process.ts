import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const repoRoot = join(__dirname, '..', '..');

/** The parent's environment minus what the integration global setup injected for in-process tests. */
export const developerEnvironment = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(AWS_|AUTH_|KUPALA_)/.test(name) && !/_(TABLE|BUCKET)$/.test(name) && name !== 'JEST_WORKER_ID',
    ),
  );

export interface DevProcess {
  child: ChildProcess;
  /** Everything dev printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once dev wrote its endpoints file; rejects when dev exits first or after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
}

/**
 * The real `pnpm dev` CLI (through tsx) with `args`, in its own process group like a terminal's foreground job
 * (Ctrl-C goes to the whole group), with the developer's environment plus `env`.
 */
export const spawnDev = (
  args: readonly string[],
  env: Record<string, string>,
  endpointsFile: string,
): DevProcess => {
  const child = spawn(
    join(repoRoot, 'node_modules', '.bin', 'tsx'),
    ['packages/local-stack/src/cli/dev.ts', ...args],
    {
      cwd: repoRoot,
      env: { ...developerEnvironment(), ...env, KUPALA_ENDPOINTS_FILE: endpointsFile },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return {
    child,
    output: () => output,
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!existsSync(endpointsFile)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`dev exited before it was ready:\n${output}`);
        }
        if (Date.now() > deadline)
          throw new Error(`dev was not ready after ${timeoutMs / 1000} s:\n${output}`);
        await sleep(250);
      }
    },
  };
};
