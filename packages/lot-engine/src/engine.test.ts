import { applyTrade, clonePosition, emptyPosition, replayPosition } from './engine';
import { InvalidTradeError, LotMethodMismatchError, OutOfOrderError } from './errors';
import { ledgerOrderKey } from './order';
import { context, equity, trades } from './testing';
import type { PositionState } from './types';
import { openLots } from './valuation';

describe('applyTrade', () => {
  const aapl = equity('AAPL');
  const trade = trades();
  const buy = trade('BUY', '2025-01-02', { instrument: aapl, quantity: '10', price: '100' });
  const sell = trade('SELL', '2025-01-03', { instrument: aapl, quantity: '15', price: '110', fees: '3' });

  it('keys the ledger by trade date, then booking order', () => {
    expect(ledgerOrderKey(buy)).toBe(`2025-01-02#${buy.tradeId}`);
  });

  it('refuses a trade at or before the last one (a redelivery is flagged as a duplicate)', () => {
    const { state } = replayPosition([buy, sell], context('FIFO'));
    const before = JSON.stringify(state);

    const error = (() => {
      try {
        applyTrade(state, sell, context('FIFO'));
      } catch (caught: unknown) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(OutOfOrderError);
    expect((error as OutOfOrderError).duplicate).toBe(true);
    expect(() => applyTrade(state, buy, context('FIFO'))).toThrow(OutOfOrderError);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('refuses another instrument, a cancelled trade and another lot method', () => {
    const state = emptyPosition(aapl);
    const other = trade('BUY', '2025-01-04', { instrument: equity('MSFT'), quantity: '1', price: '1' });

    expect(() => applyTrade(state, other, context('FIFO'))).toThrow(InvalidTradeError);
    expect(() => applyTrade(state, { ...buy, status: 'CANCELLED' }, context('FIFO'))).toThrow(
      InvalidTradeError,
    );
    applyTrade(state, buy, context('FIFO'));
    expect(() => applyTrade(state, sell, context('LIFO'))).toThrow(LotMethodMismatchError);
  });

  it('refuses a malformed decimal without touching the state', () => {
    const state = emptyPosition(aapl);

    expect(() => applyTrade(state, { ...buy, price: '1e3' }, context('FIFO'))).toThrow(InvalidTradeError);
    expect(state.lastOrderKey).toBeNull();
  });

  it('crosses zero: closes the long, then opens a short with the rest, fees split by quantity', () => {
    // Hold 10 at 1,000. Sell 15 @ 110, fees 3: closing 10 → 1,100 − 2 = 1,098, gain 98;
    // opening short 5 → cost −(550 − 1) = −549.
    const { state, closedLots } = replayPosition([buy, sell], context('FIFO'));

    expect(closedLots.toArray().map((lot) => [lot.quantity, lot.proceeds, lot.cost, lot.gain])).toEqual([
      ['10', '1098', '1000', '98'],
    ]);
    expect(openLots(state)).toEqual([
      { openDate: '2025-01-03', quantity: '-5', costPerUnit: '109.8', costBasis: '-549' },
    ]);
  });

  it('continues the same from a state read back from JSON as from the one in memory', () => {
    const first = replayPosition([buy], context('FIFO')).state;
    const stored = JSON.parse(JSON.stringify(first)) as PositionState;

    const inMemory = applyTrade(first, sell, context('FIFO'));
    const reloaded = applyTrade(stored, sell, context('FIFO'));

    expect(reloaded).toEqual(inMemory);
  });

  it('never lets a copy share the working figures of its original', () => {
    const original = replayPosition([buy], context('FIFO')).state;
    const spreadCopy = { ...original, lots: original.lots.map((lot) => ({ ...lot })) };
    const cloned = clonePosition(original);

    applyTrade(spreadCopy, sell, context('FIFO'));
    applyTrade(cloned, sell, context('FIFO'));

    expect([original.quantity, original.lots[0]?.quantity]).toEqual(['10', '10']);
    expect([spreadCopy.quantity, cloned.quantity]).toEqual(['-5', '-5']);
    expect(replayPosition([], context('FIFO'), original).state.quantity).toBe('10');
  });

  it('replays over a checkpoint without changing it', () => {
    const checkpoint = replayPosition([buy], context('FIFO')).state;
    const before = JSON.stringify(checkpoint);

    const { state } = replayPosition([buy, sell], context('FIFO'), checkpoint);

    expect(state.quantity).toBe('-5');
    expect(JSON.stringify(checkpoint)).toBe(before);
  });
});
