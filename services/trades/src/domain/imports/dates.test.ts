import { dateReader, readIbkrDate, readUsDate } from './dates';

describe('dates', () => {
  it.each([
    ['DD/MM/YYYY', '05/01/2026', '2026-01-05'],
    ['DD/MM/YYYY', '5/1/2026', '2026-01-05'],
    ['MM/DD/YYYY', '01/05/2026', '2026-01-05'],
    ['DD.MM.YYYY', '31.12.2025', '2025-12-31'],
    ['DD-MM-YYYY', '29-02-2024', '2024-02-29'],
    ['YYYYMMDD', '20260105', '2026-01-05'],
    ['YYYY/MM/DD', '2026/01/05 10:31', '2026-01-05'],
    ['DD/MM/YYYY', '2026-01-05', '2026-01-05'],
    ['YYYY-MM-DD', '2026-01-05T10:31:02Z', '2026-01-05'],
  ] as const)('%s reads %j as %s', (format, raw, date) => {
    expect(dateReader(format)(raw)).toEqual({ ok: true, date });
  });

  it.each([
    ['DD/MM/YYYY', '31/02/2026', 'is not a calendar date (expected DD/MM/YYYY)'],
    ['MM/DD/YYYY', '13/01/2026', 'is not a calendar date (expected MM/DD/YYYY)'],
    ['DD.MM.YYYY', '2026.01.05', 'is not a date in the layout DD.MM.YYYY'],
    ['YYYY-MM-DD', 'yesterday', 'is not a date in the layout YYYY-MM-DD'],
  ] as const)('%s rejects %j', (format, raw, message) => {
    expect(dateReader(format)(raw)).toEqual({ ok: false, message });
  });

  it('reads the IBKR layouts and ignores their time of day', () => {
    expect(
      ['20260105', '20260105;103102', '2026-01-05', '2026-01-05, 10:31:02', '01/05/2026'].map(readIbkrDate),
    ).toEqual(Array(5).fill({ ok: true, date: '2026-01-05' }));
  });

  it('reads US dates as Schwab and Fidelity write them', () => {
    expect(readUsDate('12/31/2025')).toEqual({ ok: true, date: '2025-12-31' });
    expect(readUsDate('')).toBeUndefined();
  });
});
