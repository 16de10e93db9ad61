import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ProcessGroupOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives every output line (stdout and stderr); without it output is discarded. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Kill the whole group when this process dies, even by SIGKILL or a crash (default true): a sentinel in
   * the group waits for EOF on a pipe only we hold open, then signals its own group.
   */
  dieWithParent?: boolean;
}

// fd 3 keeps the pipe for the sentinel (background jobs get /dev/null as stdin); then exec the command.
const SENTINEL_SCRIPT = 'exec 3<&0; (cat <&3 >/dev/null; kill -TERM 0) & exec 3<&-; exec "$0" "$@"';

/** A child that leads its own process group, so stopping it also stops everything it spawned. */
export interface ProcessGroup {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Settles when the leader has exited. */
  readonly exited: Promise<ProcessExit>;
  hasExited(): boolean;
  /** SIGTERM to the whole group, SIGKILL after the grace period; resolves when no member is left. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

const isGroupAlive = (pgid: number): boolean => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error: unknown) {
    // EPERM means a member exists that we may not signal: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const signalGroup = (pgid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pgid, signal);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

const waitUntilGroupGone = async (pgid: number, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (isGroupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
};

export const spawnProcessGroup = (
  command: string,
  args: readonly string[],
  options: ProcessGroupOptions = {},
): ProcessGroup => {
  const sentinel = options.dieWithParent !== false;
  const child = sentinel
    ? spawn('/bin/sh', ['-c', SENTINEL_SCRIPT, command, ...args], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  // The group is gone (or going): closing our end makes a surviving sentinel take the rest of it down.
  child.stdin?.on('error', () => undefined);
  child.once('exit', () => child.stdin?.destroy());
  let exitInfo: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolveExit(exitInfo);
    });
    child.once('error', () => {
      exitInfo ??= { code: null, signal: null };
      resolveExit(exitInfo);
    });
  });
  const { onLine } = options;
  for (const stream of ['stdout', 'stderr'] as const) {
    const readable = child[stream];
    if (readable === null) continue;
    if (onLine === undefined) {
      readable.resume();
      continue;
    }
    createInterface({ input: readable, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
      onLine(line, stream),
    );
  }
  const pid = child.pid;
  if (pid === undefined) {
    // spawn failed synchronously (e.g. ENOENT); the 'error' event carries the reason.
    return {
      pid: -1,
      child,
      exited,
      hasExited: () => true,
      stop: async () => undefined,
    };
  }
  let stopping: Promise<void> | undefined;
  const stop = ({ graceMs = 5000 }: { graceMs?: number } = {}): Promise<void> => {
    stopping ??= (async () => {
      signalGroup(pid, 'SIGTERM');
      if (!(await waitUntilGroupGone(pid, graceMs))) {
        signalGroup(pid, 'SIGKILL');
        await waitUntilGroupGone(pid, 5000);
      }
      await exited;
    })();
    return stopping;
  };
  return { pid, child, exited, hasExited: () => exitInfo !== undefined, stop };
};

/**
 * Polls until the probe resolves true; fails early when the process dies, or after the timeout (or abort),
 * and then stops the process so no half-started server is left behind.
 */
export const waitUntilReady = async (
  what: string,
  probe: () => Promise<boolean>,
  options: {
    timeoutMs: number;
    intervalMs?: number;
    process?: ProcessGroup;
    lastOutput?: () => string;
    signal?: AbortSignal;
  },
): Promise<void> => {
  try {
    await pollUntilReady(what, probe, options);
  } catch (error: unknown) {
    await options.process?.stop();
    throw error;
  }
};

const pollUntilReady = async (
  what: string,
  probe: () => Promise<boolean>,
  options: Parameters<typeof waitUntilReady>[2],
): Promise<void> => {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    if (options.process?.hasExited()) {
      const exit = await options.process.exited;
      const tail = options.lastOutput?.() ?? '';
      throw new Error(
        `${what} exited before it was ready (code ${exit.code}, signal ${exit.signal})${tail === '' ? '' : `:\n${tail}`}`,
      );
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() >= deadline) {
      const tail = options.lastOutput?.() ?? '';
      throw new Error(
        `${what} was not ready after ${options.timeoutMs} ms${tail === '' ? '' : `:\n${tail}`}`,
      );
    }
    await sleep(options.intervalMs ?? 200);
  }
};

/** Keeps the last lines of a process's output for error messages. */
export class OutputTail {
  readonly #lines: string[] = [];
  constructor(private readonly capacity = 40) {}
  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.capacity) this.#lines.shift();
  }
  text(): string {
    return this.#lines.join('\n');
  }
}
