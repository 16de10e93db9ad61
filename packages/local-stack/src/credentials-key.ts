import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const KEY_FILE = 'credentials-key.base64';

/**
 * The raw AES-256 key of the local credentials keyring: generated on first use into a git-ignored state
 * directory (mode 0600), kept there so credentials stored with `dev --persist` still decrypt next time.
 * Never in the repository, and never handed to a deployable stage (config/serverless/local-credentials.yml).
 */
export const loadOrCreateLocalCredentialsKey = async (dir: string): Promise<string> => {
  const file = join(dir, KEY_FILE);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // `wx`: two starts racing never overwrite each other's key
    await writeFile(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' }).catch(
      (error: unknown) => {
        if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      },
    );
  }
  const key = (await readFile(file, 'utf8')).trim();
  if (Buffer.from(key, 'base64').length !== 32)
    throw new Error(`${file} is not 32 bytes of base64; delete it to regenerate`);
  return key;
};

/** What the handlers read (CREDENTIALS_LOCAL_KEY) and what serverless.yml hands them on local/test stages. */
export const localCredentialsEnvironment = (key: string): Record<string, string> => ({
  CREDENTIALS_LOCAL_KEY: key,
  KUPALA_CREDENTIALS_LOCAL_KEY: key,
});
