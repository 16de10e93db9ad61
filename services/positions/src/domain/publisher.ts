/**
 * What the positions engine calls after it changed a portfolio's positions (a trade applied, a price or FX
 * rate moved): the live side pushes the new figures to that user's subscribed connections. Implemented by
 * the WebSocket side; the engine only knows this interface (injected through side effects).
 */
export interface PositionsPublisher {
  positionsChanged(sub: string, portfolioId: string): Promise<void>;
}
