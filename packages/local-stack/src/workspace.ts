import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The monorepo root: the nearest ancestor of this package holding pnpm-workspace.yaml. */
export const findWorkspaceRoot = (start: string = __dirname): string => {
  let current = resolve(start);
  for (;;) {
    if (existsSync(join(current, 'pnpm-workspace.yaml'))) return current;
    const parent = dirname(current);
    if (parent === current) throw new Error(`No pnpm-workspace.yaml above ${start}`);
    current = parent;
  }
};

export const workspaceRoot = findWorkspaceRoot();

/** Git-ignored local state of the platform (issuer keys, persisted tables and objects, endpoints.json). */
export const localStateDir = (root: string = workspaceRoot): string => join(root, '.kupala');

/** Machine-wide cache outside git: $KUPALA_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/kupala. */
export const kupalaCacheDir = (env: NodeJS.ProcessEnv = process.env): string => {
  const explicit = env.KUPALA_CACHE_DIR;
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.cache'), 'kupala');
};

export const serverlessBinary = (root: string = workspaceRoot): string =>
  join(root, 'node_modules', '.bin', 'serverless');
