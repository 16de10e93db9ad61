import {
  type ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { encodeServerMessage, type ServerMessage } from '@kupala/trade-model';

// API Gateway (and serverless-offline) answer 410 Gone for a connection that has already closed.
const isGone = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'GoneException' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410);

/** Pushes server messages to connections through the API Gateway Management API (@connections). */
export const buildConnectionMessenger = (client: ApiGatewayManagementApiClient) => ({
  /** True once delivered; false when the client has already gone. */
  async send(connectionId: string, message: ServerMessage): Promise<boolean> {
    const data = new TextEncoder().encode(encodeServerMessage(message));
    try {
      await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
      return true;
    } catch (error: unknown) {
      if (isGone(error)) return false;
      throw error;
    }
  },
});

export type ConnectionMessenger = ReturnType<typeof buildConnectionMessenger>;
