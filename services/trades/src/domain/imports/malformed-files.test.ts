import { parseBrokerFile } from './parse-broker-file';
import { fixtureBytes, GENERIC_EU_SEMICOLON_MAPPING, inChunks } from './parse-fixture';
import { IMPORT_FORMATS, type ImportFormat, type ParseOptions } from './types';
import { validateWholeFile } from './whole-file';

/** One real file per format, and what parsing it needs. */
const FILES: Record<ImportFormat, { fixture: string; options: ParseOptions }> = {
  'generic-csv': {
    fixture: 'generic-eu-semicolon.csv',
    options: { mapping: GENERIC_EU_SEMICOLON_MAPPING, baseCurrency: 'EUR' },
  },
  'ibkr-flex-xml': { fixture: 'ibkr-flex.xml', options: { baseCurrency: 'USD' } },
  'ibkr-flex-csv': { fixture: 'ibkr-flex.csv', options: { baseCurrency: 'USD' } },
  'ibkr-activity-csv': { fixture: 'ibkr-activity.csv', options: {} },
  'schwab-csv': { fixture: 'schwab-current.csv', options: {} },
  'fidelity-csv': { fixture: 'fidelity-activity.csv', options: {} },
  'kupala-json': { fixture: 'kupala-export.json', options: {} },
};

const pairs = IMPORT_FORMATS.flatMap((format) =>
  IMPORT_FORMATS.filter((other) => other !== format).map((other) => [format, other] as const),
);

describe('a file in another format than announced', () => {
  it.each(pairs)(
    'announced as %s but really %s: rejected as a whole, nothing importable',
    async (format, other) => {
      const { fixture } = FILES[other];

      const report = await validateWholeFile(
        parseBrokerFile(format, inChunks(fixtureBytes(fixture), 512), FILES[format].options),
      );

      expect(report.ok).toBe(false);
      expect(report.fileError).toBe(true);
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({ row: 0, field: 'file' });
    },
  );

  it.each(IMPORT_FORMATS)('while its own %s file passes whole', async (format) => {
    const { fixture, options } = FILES[format];

    const report = await validateWholeFile(
      parseBrokerFile(format, inChunks(fixtureBytes(fixture), 512), options),
    );

    expect(report).toMatchObject({ ok: true, fileError: false, rowsWithErrors: 0 });
    expect(report.trades).toBeGreaterThan(3);
  });

  it('a format that does not exist is a file-level error', async () => {
    const report = await validateWholeFile(parseBrokerFile('quicken-qif' as ImportFormat, 'x'));

    expect(report.errors).toEqual([
      {
        row: 0,
        field: 'file',
        message:
          'unknown import format "quicken-qif"; expected one of generic-csv, ibkr-flex-xml, ibkr-flex-csv, ibkr-activity-csv, schwab-csv, fidelity-csv, kupala-json',
      },
    ]);
  });

  it('a file with more rows than allowed is rejected before it is all read', async () => {
    const report = await validateWholeFile(
      parseBrokerFile('schwab-csv', fixtureBytes('schwab-current.csv'), { maxRows: 5 }),
    );

    expect(report).toMatchObject({
      ok: false,
      fileError: true,
      errors: [{ row: 0, field: 'file', message: 'the file has more than 5 rows' }],
    });
  });

  it('a failing upload stream is an error of the caller, not a file error', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from(
        'Run Date,Action,Symbol,Description,Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date\n',
      );
      throw new Error('socket hang up');
    }

    await expect(validateWholeFile(parseBrokerFile('fidelity-csv', failing()))).rejects.toThrow(
      'socket hang up',
    );
  });
});
