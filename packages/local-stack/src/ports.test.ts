import { createServer, type Server } from 'node:net';
import { assertPortsFree, findFreePort, isPortFree, PortInUseError, portFromEnv } from './ports';

describe('ports', () => {
  let server: Server;
  let taken: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
    const address = server.address();
    taken = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolveClose) => server.close(() => resolveClose())));

  it('tells free ports from taken ones', async () => {
    expect(await isPortFree(taken)).toBe(false);
    expect(await isPortFree(await findFreePort())).toBe(true);
  });

  it('names the taken port, its purpose and the variable that moves it', async () => {
    const free = await findFreePort();
    const check = assertPortsFree([
      { port: free, purpose: 'gateway', overrideVariable: 'KUPALA_GATEWAY_PORT' },
      { port: taken, purpose: 'trades HTTP', overrideVariable: 'KUPALA_TRADES_HTTP_PORT' },
    ]);
    await expect(check).rejects.toThrow(PortInUseError);
    await expect(check).rejects.toThrow(
      `Port ${taken} (trades HTTP) is already in use; free it or choose another with KUPALA_TRADES_HTTP_PORT=<port>`,
    );
  });

  it('refuses one port claimed twice', async () => {
    await expect(
      assertPortsFree([
        { port: 4999, purpose: 'a' },
        { port: 4999, purpose: 'b' },
      ]),
    ).rejects.toThrow('Port 4999 is assigned twice: a and b');
  });

  it('reads ports from the environment', () => {
    expect(portFromEnv({}, 'X_PORT', 4000)).toBe(4000);
    expect(portFromEnv({ X_PORT: '4100' }, 'X_PORT', 4000)).toBe(4100);
    expect(() => portFromEnv({ X_PORT: 'http' }, 'X_PORT', 4000)).toThrow('X_PORT=http is not a TCP port');
  });
});
