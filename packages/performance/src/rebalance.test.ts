import { proposeRebalance, RebalanceInputError } from './rebalance';

const position = (instrumentKey: string, quantity: string, price: string, quantityStep?: string) => ({
  instrumentKey,
  quantity,
  price,
  ...(quantityStep === undefined ? {} : { quantityStep }),
});

describe('rebalancing proposal', () => {
  it('reaches the targets exactly when whole units allow, selling what has no target', () => {
    // AAA 10 × 100 = 1000, CCC 5 × 200 = 1000, cash 1000: total 3000
    // targets AAA 0.5 → 1500: buy (1500 − 1000) / 100 = 5; BBB 0.4 → 1200: buy 1200 / 50 = 24; CCC none: sell 5
    // cash after: 1000 + 5 × 200 − 5 × 100 − 24 × 50 = 1000 + 1000 − 500 − 1200 = 300 = 0.1 of 3000
    const proposal = proposeRebalance({
      positions: [
        position('EQUITY:AAA:USD', '10', '100'),
        position('EQUITY:BBB:USD', '0', '50'),
        position('EQUITY:CCC:USD', '5', '200'),
      ],
      cash: '1000',
      targets: { 'EQUITY:AAA:USD': '0.5', 'EQUITY:BBB:USD': '0.4' },
    });
    expect(proposal.totalValue).toBe('3000');
    expect(proposal.trades).toEqual([
      { instrumentKey: 'EQUITY:CCC:USD', side: 'SELL', quantity: '5', estimatedValue: '1000' },
      { instrumentKey: 'EQUITY:AAA:USD', side: 'BUY', quantity: '5', estimatedValue: '500' },
      { instrumentKey: 'EQUITY:BBB:USD', side: 'BUY', quantity: '24', estimatedValue: '1200' },
    ]);
    expect(proposal.cashAfter).toBe('300');
    expect(proposal.cashWeightAfter).toBe('0.1');
    expect(
      proposal.drift.map((line) => [line.instrumentKey, line.currentWeight, line.weightAfter, line.drift]),
    ).toEqual([
      // current weights: 1000 / 3000 = 0.33333333 (8 places), 0, 0.33333333
      ['EQUITY:AAA:USD', '0.33333333', '0.5', '0'],
      ['EQUITY:BBB:USD', '0', '0.4', '0'],
      ['EQUITY:CCC:USD', '0.33333333', '0', '0'],
    ]);
  });

  it('rounds whole-unit purchases down and reports the residual drift', () => {
    // cash 1000; XXX 0.5 → 500 / 333 = 1.50 → 1 (333); YYY 0.5 → 500 / 70 = 7.14 → 7 (490); cash left 177.
    // Another XXX would cost 333 > 177; another YYY would overshoot (shortfall 10 < half a unit, 35).
    const proposal = proposeRebalance({
      positions: [position('XXX', '0', '333'), position('YYY', '0', '70')],
      cash: '1000',
      targets: { XXX: '0.5', YYY: '0.5' },
    });
    expect(proposal.trades.map((trade) => `${trade.side} ${trade.quantity} ${trade.instrumentKey}`)).toEqual([
      'BUY 1 XXX',
      'BUY 7 YYY',
    ]);
    expect(proposal.cashAfter).toBe('177');
    // XXX 333 / 1000 = 0.333 → drift −0.167; YYY 490 / 1000 = 0.49 → drift −0.01
    expect(proposal.drift.map((line) => line.drift)).toEqual(['-0.167', '-0.01']);
  });

  it('never spends more cash than there is: a sale rounded down takes a unit back from a purchase', () => {
    // AAA 5 × 100 = 500, cash 0. AAA 0.58 → 290: sell (500 − 290) / 100 = 2.1 → 2 (+200);
    // BBB 0.42 → 210 / 30 = 7 units = 210 > 200 available → give one back: 6 (180), cash left 20.
    const proposal = proposeRebalance({
      positions: [position('AAA', '5', '100'), position('BBB', '0', '30')],
      cash: '0',
      targets: { AAA: '0.58', BBB: '0.42' },
    });
    expect(proposal.trades.map((trade) => `${trade.side} ${trade.quantity} ${trade.instrumentKey}`)).toEqual([
      'SELL 2 AAA',
      'BUY 6 BBB',
    ]);
    expect(proposal.cashAfter).toBe('20');
  });

  it('buys fractions where the asset allows, to its step', () => {
    // 100 / 3 = 33.333… units at step 0.001 → 33.333 (99.999), 0.001 of cash left
    const proposal = proposeRebalance({
      positions: [position('CRYPTO:ZZZ:USD', '0', '3', '0.001')],
      cash: '100',
      targets: { 'CRYPTO:ZZZ:USD': '1' },
    });
    expect(proposal.trades).toEqual([
      { instrumentKey: 'CRYPTO:ZZZ:USD', side: 'BUY', quantity: '33.333', estimatedValue: '99.999' },
    ]);
    expect(proposal.cashAfter).toBe('0.001');
  });

  it('counts the multiplier in an option position value', () => {
    // 2 contracts × 5 × 100 = 1000 of 2000 (cash 1000); target 0.25 → 500 → sell 1 contract (500)
    const proposal = proposeRebalance({
      positions: [{ instrumentKey: 'OPTION:X', quantity: '2', price: '5', multiplier: '100' }],
      cash: '1000',
      targets: { 'OPTION:X': '0.25' },
    });
    expect(proposal.trades).toEqual([
      { instrumentKey: 'OPTION:X', side: 'SELL', quantity: '1', estimatedValue: '500' },
    ]);
  });

  it.each([
    [{ targets: { A: '0.6', B: '0.5' } }, /sum to 1.1/],
    [{ targets: { A: '-0.1' } }, /negative/],
    [{ targets: { Z: '0.1' } }, /no price/],
  ])('refuses %j', (override, message) => {
    expect(() =>
      proposeRebalance({
        positions: [position('A', '1', '10'), position('B', '1', '10')],
        cash: '0',
        ...override,
      }),
    ).toThrow(message);
    expect(() => proposeRebalance({ positions: [position('A', '0', '10')], cash: '0', targets: {} })).toThrow(
      RebalanceInputError,
    );
  });
});
