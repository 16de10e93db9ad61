import { createServer } from 'node:net';

const LOOPBACK = '127.0.0.1';

/** A port the OS considers free on loopback right now. */
export const findFreePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolvePort(port) : reject(new Error('No free port assigned'))));
    });
  });

/** True when nothing listens on the port (a bind on loopback succeeds). */
export const isPortFree = (port: number, host: string = LOOPBACK): Promise<boolean> =>
  new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveFree(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolveFree(true)));
  });

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly purpose: string,
    readonly overrideVariable: string | undefined,
  ) {
    super(
      `Port ${port} (${purpose}) is already in use` +
        (overrideVariable === undefined ? '' : `; free it or choose another with ${overrideVariable}=<port>`),
    );
  }
}

export interface PortClaim {
  port: number;
  purpose: string;
  overrideVariable?: string;
}

/** Fails with every taken port named, before anything is started. */
export const assertPortsFree = async (claims: readonly PortClaim[]): Promise<void> => {
  const seen = new Map<number, string>();
  for (const claim of claims) {
    const previous = seen.get(claim.port);
    if (previous !== undefined) {
      throw new Error(`Port ${claim.port} is assigned twice: ${previous} and ${claim.purpose}`);
    }
    seen.set(claim.port, claim.purpose);
  }
  const taken = await Promise.all(
    claims.map(async (claim) => ((await isPortFree(claim.port)) ? [] : [claim])),
  );
  const errors = taken
    .flat()
    .map((claim) => new PortInUseError(claim.port, claim.purpose, claim.overrideVariable));
  if (errors.length === 1 && errors[0] !== undefined) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, errors.map((error) => error.message).join('\n'));
};

/** Reads a port from the environment (decimal 1..65535) or falls back to the default. */
export const portFromEnv = (env: NodeJS.ProcessEnv, variable: string, fallback: number): number => {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${variable}=${raw} is not a TCP port`);
  }
  return port;
};
