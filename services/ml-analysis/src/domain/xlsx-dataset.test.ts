import { MAX_XLSX_UNPACKED_BYTES, ValidationError } from '@kupala/trade-model';
import { Workbook } from 'exceljs';
import { zipOf } from '../testing/zip';
import { isDateFormat, readXlsx, serialDate } from './xlsx-dataset';

const bufferOf = async (workbook: Workbook): Promise<Buffer> =>
  Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
};

describe('readXlsx', () => {
  it('types the first sheet like a CSV: numbers, dates, text, formulas by result, errors and blanks missing', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('Prices');
    workbook.addWorksheet('Other').addRow(['x']);
    sheet.addRow(['date', 'symbol', 'close', 'double', 'note']);
    sheet.addRow([new Date(Date.UTC(2026, 2, 2)), 'AAPL', 190.5, { formula: 'C2*2', result: 381 }, 'ok']);
    sheet.addRow([]); // a blank row is skipped
    sheet.addRow([
      new Date(Date.UTC(2026, 2, 3)),
      { richText: [{ text: 'MS' }, { text: 'FT' }] },
      { error: '#N/A' },
      { formula: 'C4*2', result: { error: '#VALUE!' } },
    ]);
    sheet.getCell('A6').value = new Date(Date.UTC(2026, 2, 4));
    sheet.getCell('B6').value = 'AAPL, Inc.';
    sheet.getCell('C6').value = -3;
    sheet.getCell('D6').value = { formula: 'C6*2', result: -6 };
    sheet.getCell('E6').value = true;

    const table = await readXlsx(await bufferOf(workbook));

    expect(table.sheet).toBe('Prices');
    expect(table.header).toEqual(['date', 'symbol', 'close', 'double', 'note']);
    // row 4 stops at its 4th cell (a sheet keeps no trailing blanks) and is padded to the header's 5
    expect(table.data).toEqual([
      ['2026-03-02', 'AAPL', '190.5', '381', 'ok'],
      ['2026-03-03', 'MSFT', '', '', ''],
      ['2026-03-04', 'AAPL, Inc.', '-3', '-6', 'true'],
    ]);
    expect(table.rows).toBe(3);
    expect(table.columns).toEqual([
      { name: 'date', type: 'date' },
      { name: 'symbol', type: 'string' },
      { name: 'close', type: 'number' },
      { name: 'double', type: 'number' },
      { name: 'note', type: 'string' },
    ]);
  });

  it('reads the sheet named, and names the sheets there are when it is missing', async () => {
    const workbook = new Workbook();
    workbook.addWorksheet('First').addRows([['a'], [1]]);
    workbook.addWorksheet('Second').addRows([
      ['b', 'c'],
      ['x', 2],
    ]);
    const file = await bufferOf(workbook);

    const second = await readXlsx(file, 'Second');
    expect(second.data).toEqual([['x', '2']]);

    const missing = await refusal(readXlsx(file, 'Third'));
    expect(missing.details).toEqual([
      { path: 'sheet', message: 'the workbook has no sheet "Third"; it has "First", "Second"' },
    ]);
  });

  it('keeps a time of day on a date-time cell', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('T');
    sheet.addRow(['at']);
    sheet.addRow([new Date(Date.UTC(2026, 2, 2, 14, 30))]);
    expect((await readXlsx(await bufferOf(workbook))).data).toEqual([['2026-03-02T14:30:00.000Z']]);
  });

  it('refuses a ragged sheet, naming the sheet row', async () => {
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet('R');
    sheet.addRow(['a', 'b']);
    sheet.addRow([1, 2]);
    sheet.addRow([3, 4, 5]);
    const error = await refusal(readXlsx(await bufferOf(workbook)));
    expect(error.message).toBe('Sheet "R" is ragged: 1 row does not match the header');
    expect(error.details).toEqual([
      { path: 'content', message: 'row 2 (sheet row 3) has 3 fields; the header has 2' },
    ]);
  });

  it('refuses an empty sheet and a header without rows', async () => {
    const empty = new Workbook();
    empty.addWorksheet('E');
    expect((await refusal(readXlsx(await bufferOf(empty)))).message).toBe(
      'Sheet "E" is empty: the first row must name the columns',
    );
    const headerOnly = new Workbook();
    headerOnly.addWorksheet('H').addRow(['a', 'b']);
    expect((await refusal(readXlsx(await bufferOf(headerOnly)))).message).toBe(
      'Sheet "H" has a header but no data rows',
    );
  });

  it('refuses bytes that are not a zip, and a zip that is not a workbook', async () => {
    const notZip = await refusal(readXlsx(Buffer.from('date,close\n2026-03-02,1\n')));
    expect(notZip.message).toBe('XLSX file is corrupt or not a workbook');
    expect(notZip.details?.[0]?.message).toMatch(/^not a readable zip archive/);

    const truncated = await bufferOf(
      (() => {
        const workbook = new Workbook();
        workbook.addWorksheet('S').addRows([['a'], [1]]);
        return workbook;
      })(),
    );
    expect((await refusal(readXlsx(truncated.subarray(0, truncated.length - 40)))).message).toBe(
      'XLSX file is corrupt or not a workbook',
    );

    const plainZip = zipOf([{ name: 'hello.txt', content: Buffer.from('hello') }]);
    const notWorkbook = await refusal(readXlsx(plainZip));
    expect(notWorkbook.message).toBe('XLSX file is corrupt or not a workbook');
  });

  it('refuses a zip bomb that declares its size, before unpacking it', async () => {
    // 40 MiB of zeros deflate to about 40 KiB; 40 MiB > the 32 MiB limit
    const bomb = zipOf([{ name: 'xl/worksheets/sheet1.xml', content: Buffer.alloc(40 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    const error = await refusal(readXlsx(bomb));
    expect(error.message).toBe('XLSX file unpacks to too much data');
    expect(error.details).toEqual([
      {
        path: 'content',
        message: `its parts unpack to ${40 * 1024 * 1024} bytes; at most ${MAX_XLSX_UNPACKED_BYTES} are allowed`,
      },
    ]);
  });

  it('refuses a zip bomb that lies about its size once its part unpacks past what it declared', async () => {
    const workbookXml =
      '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>';
    const relations =
      '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="worksheet"/></Relationships>';
    const liar = zipOf([
      { name: 'xl/workbook.xml', content: Buffer.from(workbookXml) },
      { name: 'xl/_rels/workbook.xml.rels', content: Buffer.from(relations) },
      { name: 'xl/worksheets/sheet1.xml', content: Buffer.alloc(40 * 1024 * 1024, 0x20), declaredSize: 1000 },
    ]);
    const error = await refusal(readXlsx(liar));
    expect(error.message).toBe('XLSX file is corrupt or not a workbook');
    expect(error.details?.[0]?.message).toMatch(
      /^xl\/worksheets\/sheet1\.xml does not unpack or parse \(too many bytes/,
    );
  });

  it('reads a hand-made sheet: shared and inline strings, booleans, 1904 dates, cells placed by reference', async () => {
    const workbookXml =
      '<workbook xmlns:r="r"><workbookPr date1904="1"/><sheets><sheet name="Hand" sheetId="1" r:id="rId7"/></sheets></workbook>';
    const relations =
      '<Relationships><Relationship Id="rId7" Target="/xl/worksheets/data.xml"/></Relationships>';
    const strings =
      '<sst><si><t>name</t></si><si><r><t>Ab</t></r><r><t>c</t></r><rPh><t>ignored</t></rPh></si></sst>';
    const styles =
      '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="&quot;day&quot; 0"/></numFmts>' +
      '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>';
    const sheet =
      '<worksheet><sheetData>' +
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>when</t></is></c><c r="C1" t="inlineStr"><is><t>flag</t></is></c><c r="D1" t="inlineStr"><is><t>n</t></is></c></row>' +
      '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>44621</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" s="2"><v>7</v></c></row>' +
      '<row r="5"><c r="D5" s="2"><v>1.5E3</v></c></row>' +
      '</sheetData></worksheet>';
    const file = zipOf([
      { name: 'xl/workbook.xml', content: Buffer.from(workbookXml) },
      { name: 'xl/_rels/workbook.xml.rels', content: Buffer.from(relations) },
      { name: 'xl/sharedStrings.xml', content: Buffer.from(strings) },
      { name: 'xl/styles.xml', content: Buffer.from(styles) },
      { name: 'xl/worksheets/data.xml', content: Buffer.from(sheet) },
    ]);
    const table = await readXlsx(file);
    // serial 44621 in the 1904 system is 44621 + 1462 = 46083 in the 1900 one: 2026-03-02 (see serialDate);
    // style 2 ("day" 0) is a number format, not a date; 1.5E3 is 1500
    expect(table.header).toEqual(['name', 'when', 'flag', 'n']);
    expect(table.data).toEqual([
      ['Abc', '2026-03-02', 'true', '7'],
      ['', '', '', '1500'],
    ]);
    expect(table.columns.map((column) => column.type)).toEqual(['string', 'date', 'string', 'number']);
  });
});

describe('serialDate and isDateFormat', () => {
  it('turns date serials into ISO dates and date-times', () => {
    // 2026-03-02 is 20514 days after 1970-01-01 (56 years of 365 days, 14 leap days, 31 + 28 + 1 days);
    // 1970-01-01 is serial 25569, so 2026-03-02 is 46083; half a day later is noon
    expect(serialDate(46083, false)).toBe('2026-03-02');
    expect(serialDate(46083.5, false)).toBe('2026-03-02T12:00:00.000Z');
    expect(serialDate(46083 - 1462, true)).toBe('2026-03-02');
  });

  it('tells date formats from number formats', () => {
    expect(isDateFormat('yyyy-mm-dd')).toBe(true);
    expect(isDateFormat('[$-409]h:mm AM/PM')).toBe(true);
    expect(isDateFormat('#,##0.00')).toBe(false);
    expect(isDateFormat('"days" 0')).toBe(false);
    expect(isDateFormat('[Red]0.00')).toBe(false);
    expect(isDateFormat('General')).toBe(false);
  });
});
