import type { ClosedLotView } from '@kupala/trade-model';
import ExcelJS from 'exceljs';
import { realizedCsv, realizedXlsx } from './realized-report';
import { columnName } from './xlsx';

const lot: ClosedLotView = {
  instrumentKey: 'EQUITY:BRK.B:USD',
  openDate: '2025-01-02',
  closeDate: '2026-02-03',
  quantity: '10',
  proceeds: '1298.666666666667',
  cost: '-1001',
  gain: '297.666666666667',
  holdingPeriod: 'LONG',
  proceedsBase: '1298.666666666667',
  costBase: null,
  gainBase: null,
  currency: 'USD',
  openTradeId: '01J0000000000000000000000A',
  closeTradeId: '01J0000000000000000000000B',
};

describe('realized report as CSV', () => {
  it('writes a header and one CRLF row per lot, numbers as they are, missing base figures empty', () => {
    expect(realizedCsv([lot]).split('\r\n')).toEqual([
      'instrumentKey,openDate,closeDate,holdingPeriod,quantity,proceeds,cost,gain,currency,proceedsBase,costBase,gainBase,openTradeId,closeTradeId',
      'EQUITY:BRK.B:USD,2025-01-02,2026-02-03,LONG,10,1298.666666666667,-1001,297.666666666667,USD,1298.666666666667,,,01J0000000000000000000000A,01J0000000000000000000000B',
      '',
    ]);
  });

  it('quotes text a spreadsheet would split or evaluate, but leaves negative numbers alone', () => {
    const row = realizedCsv([{ ...lot, instrumentKey: '=HYPERLINK("x"),1', cost: '-5' }]).split('\r\n')[1];
    expect(row?.startsWith(`"'=HYPERLINK(""x""),1",`)).toBe(true);
    expect(row).toContain(',-5,');
  });
});

describe('realized report as xlsx', () => {
  it('reads back with the csv columns: text as text (never a formula), figures as numbers, missing base empty', async () => {
    const file = realizedXlsx([{ ...lot, instrumentKey: '=1+1 <&> "x"' }]);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file) as unknown as ArrayBuffer);
    const row = workbook.getWorksheet('Realized')?.getRow(2);

    expect(((row?.values ?? []) as unknown[]).slice(1)).toEqual([
      '=1+1 <&> "x"',
      '2025-01-02',
      '2026-02-03',
      'LONG',
      10,
      1298.666666666667,
      -1001,
      297.666666666667,
      'USD',
      1298.666666666667,
      undefined,
      undefined,
      '01J0000000000000000000000A',
      '01J0000000000000000000000B',
    ]);
    expect(row?.getCell(1).type).toBe(ExcelJS.ValueType.String);
  });

  it('names columns past Z like a spreadsheet', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});
