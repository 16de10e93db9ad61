import { parseGenericPositionsCsv, parseIbkrOpenPositions } from './positions-statement';
import { type ComputedPosition, reconcilePositions } from './reconcile';

const computed = (instrumentKey: string, quantity: string, costBasis: string): ComputedPosition => {
  const [, symbol = '', currency = ''] = instrumentKey.split(':');
  return { instrumentKey, symbol, currency, quantity, costBasis };
};

describe('reconciliation against a broker statement', () => {
  it('reports every kind of break row by row, and counts clean matches', () => {
    const result = reconcilePositions(
      [
        { row: 2, symbol: 'AAPL', currency: 'USD', quantity: '100', costBasis: '15025.00' },
        { row: 3, symbol: 'MSFT', currency: 'USD', quantity: '10', costBasis: '4000' },
        { row: 4, symbol: 'SAP', currency: 'EUR', quantity: '5', costBasis: '900' },
        { row: 5, symbol: 'TSLA', quantity: '3' },
        { row: 6, symbol: 'AAPL', currency: 'USD', quantity: '100', costBasis: '15025' },
      ],
      [
        computed('EQUITY:AAPL:USD', '100', '15025.004'),
        computed('EQUITY:MSFT:USD', '12', '4000'),
        computed('EQUITY:SAP:EUR', '5', '880'),
        computed('EQUITY:NVDA:USD', '7', '700'),
        computed('EQUITY:GONE:USD', '0', '0'),
      ],
    );
    // AAPL: cost differs by 0.004 ≤ 0.01 → clean; its second row is a duplicate, not a second match
    expect(result.matched).toBe(1);
    expect(result.breaks).toEqual([
      // 10 − 12 = −2
      {
        type: 'QUANTITY_MISMATCH',
        row: 3,
        instrumentKey: 'EQUITY:MSFT:USD',
        brokerQuantity: '10',
        kupalaQuantity: '12',
        difference: '-2',
      },
      // 900 − 880 = 20 > 0.01
      {
        type: 'COST_MISMATCH',
        row: 4,
        instrumentKey: 'EQUITY:SAP:EUR',
        brokerCost: '900',
        kupalaCost: '880',
        difference: '20',
      },
      { type: 'MISSING_IN_KUPALA', row: 5, symbol: 'TSLA', brokerQuantity: '3' },
      { type: 'DUPLICATE_ROW', row: 6, firstRow: 2, symbol: 'AAPL' },
      // a flat position (GONE) is not missing
      { type: 'MISSING_AT_BROKER', instrumentKey: 'EQUITY:NVDA:USD', symbol: 'NVDA', kupalaQuantity: '7' },
    ]);
  });

  it('asks for the currency when a symbol is held in two', () => {
    const result = reconcilePositions(
      [{ row: 2, symbol: 'shel', quantity: '1' }],
      [computed('EQUITY:SHEL:USD', '1', '1'), computed('EQUITY:SHEL:GBP', '1', '1')],
    );
    expect(result.breaks[0]).toEqual({
      type: 'AMBIGUOUS_ROW',
      row: 2,
      symbol: 'SHEL',
      candidates: ['EQUITY:SHEL:USD', 'EQUITY:SHEL:GBP'],
    });
  });

  it('honours a quantity tolerance', () => {
    const result = reconcilePositions(
      [{ row: 2, symbol: 'BTC', quantity: '0.50000001' }],
      [computed('CRYPTO:BTC:USD', '0.5', '1')],
      {
        quantity: '0.0000001',
        cost: '0.01',
      },
    );
    expect(result).toEqual({ matched: 1, breaks: [] });
  });
});

describe('positions statement parsers', () => {
  it('reads a generic CSV with aliases, thousands separators and row numbers', () => {
    const parsed = parseGenericPositionsCsv(
      'Ticker,Qty,Ccy,Total Cost\nAAPL,"1,000",usd,"150,250.50"\n,5,USD,1\nMSFT,ten,USD,1\nSAP,5,EUR,\n',
    );
    expect(parsed.positions).toEqual([
      { row: 2, symbol: 'AAPL', quantity: '1000', currency: 'USD', costBasis: '150250.50' },
      { row: 5, symbol: 'SAP', quantity: '5', currency: 'EUR' },
    ]);
    expect(parsed.skipped).toEqual([{ row: 3, reason: 'no symbol' }]);
    expect(parsed.errors).toEqual([{ row: 4, field: 'quantity', message: 'is not a number' }]);
  });

  it('names a missing required column', () => {
    expect(parseGenericPositionsCsv('Name,Amount\nx,1\n').errors.map((error) => error.field)).toEqual([
      'symbol',
      'quantity',
    ]);
  });

  it("reads IBKR's Open Positions section: Summary rows only, no totals, lots or Forex balances", () => {
    const statement = [
      'Statement,Header,Field Name,Field Value',
      'Statement,Data,Period,"January 1, 2026 - March 31, 2026"',
      'Open Positions,Header,DataDiscriminator,Asset Category,Currency,Symbol,Quantity,Mult,Cost Price,Cost Basis,Close Price,Value,Unrealized P/L,Code',
      'Open Positions,Data,Summary,Stocks,USD,AAPL,"1,200",1,150.2,180240,190.5,228600,48360,',
      'Open Positions,Data,Lot,Stocks,USD,AAPL,200,1,120,24000,190.5,38100,14100,',
      'Open Positions,Data,Summary,Stocks,EUR,SAP,-10,1,180,-1800,175,-1750,50,',
      'Open Positions,Total,,Stocks,USD,,,,,180240,,228600,48360,',
      'Open Positions,Data,Summary,Forex,EUR,EUR,2500,1,1.08,2700,1.09,2725,25,',
      'Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol',
      'Trades,Data,Order,Stocks,USD,MSFT',
    ].join('\n');
    const parsed = parseIbkrOpenPositions(statement);
    expect(parsed.positions).toEqual([
      { row: 4, symbol: 'AAPL', quantity: '1200', currency: 'USD', costBasis: '180240' },
      { row: 6, symbol: 'SAP', quantity: '-10', currency: 'EUR', costBasis: '-1800' },
    ]);
    expect(parsed.skipped.map((skip) => `${skip.row}: ${skip.reason}`)).toEqual([
      '5: Lot row',
      '7: Total row',
      '8: Forex balance (cash)',
    ]);
    expect(parsed.errors).toEqual([]);
  });
});
