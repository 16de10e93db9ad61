import {
  ApiGatewayManagementApiClient,
  ForbiddenException,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { ServerMessageTooLargeError } from '@kupala/trade-model';
import { mockClient } from 'aws-sdk-client-mock';
import { buildConnectionMessenger } from './connection-messenger';

const managementApi = mockClient(ApiGatewayManagementApiClient);
const messenger = () =>
  buildConnectionMessenger(
    new ApiGatewayManagementApiClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4302' }),
  );

beforeEach(() => managementApi.reset());

describe('connection messenger', () => {
  it('posts the message as JSON to the connection', async () => {
    managementApi.on(PostToConnectionCommand).resolves({});

    const delivered = await messenger().send('Abc=', { type: 'pong', time: '2026-11-24T10:00:00.000Z' });

    expect(delivered).toBe(true);
    const calls = managementApi.commandCalls(PostToConnectionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input.ConnectionId).toBe('Abc=');
    expect(Buffer.from(calls[0]?.args[0].input.Data as Uint8Array).toString('utf8')).toBe(
      '{"type":"pong","time":"2026-11-24T10:00:00.000Z"}',
    );
  });

  it('reports a connection that has gone (410) as not delivered', async () => {
    managementApi
      .on(PostToConnectionCommand)
      .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }));

    await expect(messenger().send('Abc=', { type: 'pong', time: '2026-11-24T10:00:00.000Z' })).resolves.toBe(
      false,
    );
  });

  it('lets any other failure surface', async () => {
    managementApi
      .on(PostToConnectionCommand)
      .rejects(new ForbiddenException({ message: 'forbidden', $metadata: { httpStatusCode: 403 } }));

    await expect(
      messenger().send('Abc=', { type: 'pong', time: '2026-11-24T10:00:00.000Z' }),
    ).rejects.toThrow(ForbiddenException);
  });

  it('never posts a message over API Gateway’s 128 KB limit', async () => {
    managementApi.on(PostToConnectionCommand).resolves({});
    const position = {
      instrumentKey: 'EQUITY:AAPL:USD',
      instrument: { assetClass: 'EQUITY' as const, symbol: 'AAPL', currency: 'USD' },
      quantity: '1',
      averageCost: '1',
      costBasis: '1',
      lastPrice: null,
      priceTime: null,
      marketValue: null,
      unrealizedPnl: null,
      realizedPnl: '0',
      dayPnl: null,
      currency: 'USD',
      costBasisBase: '1',
      marketValueBase: null,
      unrealizedPnlBase: null,
      realizedPnlBase: '0',
      stale: true,
    };
    // ~420 bytes per position: 1000 of them are ~3x the limit.
    const snapshot = {
      type: 'positions' as const,
      portfolioId: '01JC9Z8Y7X6W5V4T3S2R1Q0P9N',
      asOf: '2026-11-24T10:00:00.000Z',
      part: 1,
      parts: 1,
      baseCurrency: 'USD',
      cash: [],
      positions: Array.from({ length: 1000 }, () => position),
      totals: {
        marketValue: null,
        costBasis: '1000',
        unrealizedPnl: null,
        realizedPnl: '0',
        income: '0',
        dayPnl: null,
        netLiquidation: null,
      },
    };

    await expect(messenger().send('Abc=', snapshot)).rejects.toThrow(ServerMessageTooLargeError);
    expect(managementApi.commandCalls(PostToConnectionCommand)).toHaveLength(0);
  });
});
