import { encodeServerMessage, MAX_SERVER_MESSAGE_BYTES } from '@kupala/trade-model';
import { samplePosition, sampleSnapshot } from '../testing/positions-snapshot';
import { positionsMessages } from './positions-messages';

const PORTFOLIO_ID = '01JC9Z8Y7X6W5V4T3S2R1Q0P9N';
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('positions messages', () => {
  it('sends a small portfolio as one message carrying positions, cash, totals and base currency', () => {
    const snapshot = sampleSnapshot(2);

    const messages = positionsMessages(PORTFOLIO_ID, snapshot);

    expect(messages).toEqual([
      {
        type: 'positions',
        portfolioId: PORTFOLIO_ID,
        asOf: snapshot.asOf,
        part: 1,
        parts: 1,
        baseCurrency: 'USD',
        positions: snapshot.positions,
        cash: [{ currency: 'USD', balance: '8095.00' }],
        totals: snapshot.totals,
      },
    ]);
  });

  it('carries the rates some trades wait for in every part, as a valid server message', () => {
    const snapshot = { ...sampleSnapshot(5), waitingForRates: [{ from: 'ZAR', to: 'USD' }] };
    // room for about two positions a part (the envelope with the wait, plus the 256-byte margin)
    const budget = bytes(positionsMessages(PORTFOLIO_ID, snapshot)[0]) - bytes(snapshot.positions) + 900;

    const messages = positionsMessages(PORTFOLIO_ID, snapshot, budget);

    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.waitingForRates).toEqual([{ from: 'ZAR', to: 'USD' }]);
      expect(() => encodeServerMessage(message)).not.toThrow();
    }
    expect(positionsMessages(PORTFOLIO_ID, sampleSnapshot(1))[0]).not.toHaveProperty('waitingForRates');
  });

  it('sends an empty portfolio as one message with no positions', () => {
    const messages = positionsMessages(PORTFOLIO_ID, sampleSnapshot(0));

    expect(messages.map((message) => [message.part, message.parts, message.positions.length])).toEqual([
      [1, 1, 0],
    ]);
  });

  it('divides the positions in order between parts that fit the byte budget', () => {
    // Arrange: a budget with room for exactly two positions besides the envelope and the 256-byte margin
    const snapshot = sampleSnapshot(5);
    const envelope = bytes({
      type: 'positions',
      portfolioId: PORTFOLIO_ID,
      asOf: snapshot.asOf,
      part: 1,
      parts: 1,
      baseCurrency: 'USD',
      positions: [],
      cash: snapshot.cash,
      totals: snapshot.totals,
    });
    // every sample position has the same size except for its symbol: S0..S4 are all two characters
    const positionBytes = bytes(samplePosition('S0')) + 1;
    const budget = envelope + 256 + 2 * positionBytes;

    // Act
    const messages = positionsMessages(PORTFOLIO_ID, snapshot, budget);

    // Assert: 5 positions at 2 a part = parts of 2, 2 and 1
    expect(
      messages.map((message) => message.positions.map((position) => position.instrument.symbol)),
    ).toEqual([['S0', 'S1'], ['S2', 'S3'], ['S4']]);
    expect(messages.map((message) => [message.part, message.parts])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(new Set(messages.map((message) => message.asOf))).toEqual(new Set([snapshot.asOf]));
  });

  it('keeps every part of a 2,000-position portfolio under API Gateway’s 128 KB', () => {
    // Arrange: ~450 bytes a position, ~900 KB in all: at least 7 messages of 128 KB (131,072 bytes)
    const snapshot = sampleSnapshot(2000);
    const total = bytes(snapshot.positions);

    // Act
    const messages = positionsMessages(PORTFOLIO_ID, snapshot);

    // Assert
    const sizes = messages.map((message) => Buffer.byteLength(encodeServerMessage(message), 'utf8'));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_SERVER_MESSAGE_BYTES);
    expect(messages.length).toBeGreaterThanOrEqual(Math.ceil(total / MAX_SERVER_MESSAGE_BYTES));
    expect(messages.length).toBeLessThanOrEqual(Math.ceil(total / MAX_SERVER_MESSAGE_BYTES) + 1);
    expect(messages.flatMap((message) => message.positions)).toEqual(snapshot.positions);
    expect(messages.every((message) => message.parts === messages.length)).toBe(true);
  });
});
