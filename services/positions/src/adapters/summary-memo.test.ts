import { summaryMemo } from './positions-store';

const summaryText = (quantity: string) =>
  JSON.stringify({
    format: 1,
    instrumentKey: 'EQUITY:SAP:EUR',
    instrument: { assetClass: 'EQUITY', symbol: 'SAP', currency: 'EUR' },
    lastOrderKey: '2026-01-05#01J0000000000000000000000A',
    method: 'FIFO',
    quantity,
    costBasis: '100',
    costBasisBase: '110',
    realizedPnl: '0',
    realizedPnlBase: '0',
    lots: [],
    head: 0,
  });

describe('summaryMemo (parsed position summaries of a warm container)', () => {
  it('answers the object parsed from the same text, and parses a changed text anew', () => {
    const parse = summaryMemo();
    const first = parse(summaryText('10'));

    // A new string with the same characters (as every DynamoDB answer brings) finds the parsed object.
    expect(parse(`${summaryText('1')}`.replace('"quantity":"1"', '"quantity":"10"'))).toBe(first);
    const changed = parse(summaryText('12'));
    expect(changed).not.toBe(first);
    // The service sees the engine's state as opaque JSON: read the figure through a plain record.
    expect((changed as unknown as Record<string, unknown>).quantity).toBe('12');
    expect((first as unknown as Record<string, unknown>).quantity).toBe('10');
  });

  it('freezes the shared instrument, so no caller can change what the next one reads', () => {
    const summary = summaryMemo()(summaryText('10'));
    expect(Object.isFrozen(summary.instrument)).toBe(true);
    expect(() => {
      (summary.instrument as { symbol: string }).symbol = 'OTHER';
    }).toThrow(TypeError);
  });

  it('starts over when full: at most `limit` summaries are kept', () => {
    const parse = summaryMemo(2);
    const a = parse(summaryText('1'));
    parse(summaryText('2'));
    parse(summaryText('3')); // full: cleared, then holds 3 only
    expect(parse(summaryText('1'))).not.toBe(a);
    expect(parse(summaryText('3'))).toBe(parse(summaryText('3')));
  });
});
