import { StringDecoder } from 'node:string_decoder';
import {
  MAX_DATASET_COLUMNS,
  MAX_DATASET_ROWS,
  MAX_XLSX_UNPACKED_BYTES,
  ValidationError,
} from '@kupala/trade-model';
import { parser as saxParser, type Tag } from 'sax';
import { type Entry, fromBuffer, type ZipFile } from 'yauzl';
import { type CsvShape, describeRecords, type SourceRecord } from './csv-dataset';

/**
 * XLSX reading with two small streaming parts instead of a spreadsheet library (those are megabytes, over the
 * 300 KB bundle budget): yauzl reads the zip (and stops a part that inflates past its declared size), sax reads
 * each XML part as it inflates. Only the parts a table needs are unpacked: the workbook, its relationships, the
 * shared strings, the styles (which cells are dates) and the one sheet.
 */

/** Most parts (files inside the zip) a workbook may have; real ones have a few dozen. */
const MAX_XLSX_PARTS = 2_000;

const corrupt = (message: string, cause?: unknown) =>
  new ValidationError('XLSX file is corrupt or not a workbook', [{ path: 'content', message }], cause);
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

class Workbook {
  private constructor(
    private readonly zip: ZipFile,
    private readonly parts: ReadonlyMap<string, Entry>,
  ) {}

  /**
   * Opens the zip and checks its directory before anything is unpacked: at most MAX_XLSX_PARTS parts whose
   * declared sizes add up to at most MAX_XLSX_UNPACKED_BYTES. A part that lies about its size is stopped by
   * yauzl as soon as it inflates past it, so a zip bomb never unpacks more than the limit.
   */
  static async open(file: Buffer): Promise<Workbook> {
    const zip = await new Promise<ZipFile>((resolve, reject) => {
      fromBuffer(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, opened) =>
        error === null && opened !== undefined ? resolve(opened) : reject(error),
      );
    }).catch((error: unknown) => {
      throw corrupt(`not a readable zip archive (${reason(error)})`, error);
    });
    if (zip.entryCount > MAX_XLSX_PARTS) {
      zip.close();
      throw corrupt(`it has ${zip.entryCount} parts; at most ${MAX_XLSX_PARTS} are allowed`);
    }
    const parts = new Map<string, Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        parts.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    }).catch((error: unknown) => {
      zip.close();
      throw corrupt(`its directory is unreadable (${reason(error)})`, error);
    });
    const declared = [...parts.values()].reduce((sum, entry) => sum + entry.uncompressedSize, 0);
    if (declared > MAX_XLSX_UNPACKED_BYTES) {
      zip.close();
      throw new ValidationError('XLSX file unpacks to too much data', [
        {
          path: 'content',
          message: `its parts unpack to ${declared} bytes; at most ${MAX_XLSX_UNPACKED_BYTES} are allowed`,
        },
      ]);
    }
    return new Workbook(zip, parts);
  }

  has(name: string): boolean {
    return this.parts.has(name);
  }

  /** Streams one XML part through sax; `handlers` see its elements and text as they inflate. */
  async parse(name: string, handlers: XmlHandlers): Promise<void> {
    const entry = this.parts.get(name);
    if (entry === undefined) throw corrupt(`it has no ${name}`);
    const xml = saxParser(true, { trim: false, normalize: false });
    let failure: unknown;
    xml.onopentag = (tag) => handlers.open?.(tag as Tag);
    xml.onclosetag = (tagName) => handlers.close?.(tagName);
    xml.ontext = (text) => handlers.text?.(text);
    xml.onerror = (error) => {
      failure ??= error;
    };
    await new Promise<void>((resolve, reject) => {
      this.zip.openReadStream(entry, (error, stream) => {
        if (error !== null || stream === undefined) return reject(error);
        const decoder = new StringDecoder('utf8');
        stream.on('data', (chunk: Buffer) => {
          try {
            if (failure === undefined) xml.write(decoder.write(chunk));
          } catch (thrown: unknown) {
            failure ??= thrown;
          }
          if (failure !== undefined) stream.destroy();
        });
        stream.on('error', reject);
        stream.on('close', () => (failure === undefined ? resolve() : reject(failure)));
        stream.on('end', () => {
          try {
            xml.write(decoder.end()).close();
          } catch (thrown: unknown) {
            failure ??= thrown;
          }
        });
      });
    }).catch((error: unknown) => {
      if (error instanceof ValidationError) throw error;
      throw corrupt(`${name} does not unpack or parse (${reason(error)})`, error);
    });
  }

  close(): void {
    this.zip.close();
  }
}

interface XmlHandlers {
  open?(tag: Tag): void;
  close?(name: string): void;
  text?(text: string): void;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const attribute = (tag: Tag, name: string): string | undefined => {
  const value = Object.entries(tag.attributes).find(([key]) => key === name || local(key) === name)?.[1];
  return typeof value === 'string' ? value : undefined;
};

interface SheetRef {
  name: string;
  path: string;
}

/** The sheets in workbook order, each with the path of its part, and whether dates count from 1904. */
const readSheets = async (book: Workbook): Promise<{ sheets: SheetRef[]; date1904: boolean }> => {
  const listed: { name: string; relation: string }[] = [];
  let date1904 = false;
  await book.parse('xl/workbook.xml', {
    open(tag) {
      if (local(tag.name) === 'sheet') {
        listed.push({ name: attribute(tag, 'name') ?? '', relation: attribute(tag, 'id') ?? '' });
      } else if (local(tag.name) === 'workbookPr') {
        const flag = attribute(tag, 'date1904');
        date1904 = flag === '1' || flag === 'true';
      }
    },
  });
  const targets = new Map<string, string>();
  if (book.has('xl/_rels/workbook.xml.rels')) {
    await book.parse('xl/_rels/workbook.xml.rels', {
      open(tag) {
        if (local(tag.name) !== 'Relationship') return;
        const target = attribute(tag, 'Target') ?? '';
        targets.set(attribute(tag, 'Id') ?? '', target.startsWith('/') ? target.slice(1) : `xl/${target}`);
      },
    });
  }
  const sheets = listed.flatMap((sheet) => {
    const path = targets.get(sheet.relation);
    return path === undefined ? [] : [{ name: sheet.name, path }];
  });
  return { sheets, date1904 };
};

/** The shared strings: each `si`'s text runs joined, phonetic guides (`rPh`) left out. */
const readSharedStrings = async (book: Workbook): Promise<string[]> => {
  const strings: string[] = [];
  if (!book.has('xl/sharedStrings.xml')) return strings;
  let current = '';
  let inText = false;
  let phonetic = 0;
  await book.parse('xl/sharedStrings.xml', {
    open(tag) {
      const name = local(tag.name);
      if (name === 'si') current = '';
      else if (name === 'rPh') phonetic += 1;
      else if (name === 't') inText = phonetic === 0;
    },
    text(text) {
      if (inText) current += text;
    },
    close(tagName) {
      const name = local(tagName);
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic -= 1;
      else if (name === 'si') strings.push(current);
    },
  });
  return strings;
};

// Excel's built-in date and time formats (ECMA-376 18.8.30, with the East Asian ones).
const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** Whether a number format code shows a date or time: y, m, d, h or s outside quoted text and [..] blocks. */
export const isDateFormat = (code: string): boolean =>
  /[dmyhs]/i.test(
    code
      .replace(/"[^"]*"/g, '')
      .replace(/\\./g, '')
      .replace(/\[[^\]]*\]/g, '')
      .replace(/_.|\*./g, ''),
  );

/** Which cell styles (`s`, an index into cellXfs) format their number as a date. */
const readDateStyles = async (book: Workbook): Promise<Set<number>> => {
  const dateStyles = new Set<number>();
  if (!book.has('xl/styles.xml')) return dateStyles;
  const customDates = new Set<number>();
  const styleFormats: number[] = [];
  let inCellXfs = false;
  await book.parse('xl/styles.xml', {
    open(tag) {
      const name = local(tag.name);
      if (name === 'numFmt' && isDateFormat(attribute(tag, 'formatCode') ?? '')) {
        customDates.add(Number(attribute(tag, 'numFmtId')));
      } else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) styleFormats.push(Number(attribute(tag, 'numFmtId') ?? '0'));
    },
    close(tagName) {
      if (local(tagName) === 'cellXfs') inCellXfs = false;
    },
  });
  styleFormats.forEach((format, style) => {
    if (BUILT_IN_DATE_FORMATS.has(format) || customDates.has(format)) dateStyles.add(style);
  });
  return dateStyles;
};

const DAY_MS = 86_400_000;
/**
 * A date serial as ISO text: a date when it has no time of day, else a date-time (to the second). Serial 25569
 * is 1970-01-01 in the 1900 system (whose day 0 is 1899-12-30, Lotus's leap-year bug included); the 1904 system
 * starts 1462 days later.
 */
export const serialDate = (serial: number, date1904: boolean): string => {
  const days = serial - 25569 + (date1904 ? 1462 : 0);
  const ms = Math.round((days * DAY_MS) / 1000) * 1000;
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso;
};

/** Column index (0-based) of a cell reference such as "C12". */
const columnOf = (reference: string): number | undefined => {
  const letters = /^([A-Z]{1,3})\d+$/.exec(reference)?.[1];
  if (letters === undefined) return undefined;
  return [...letters].reduce((index, letter) => index * 26 + letter.charCodeAt(0) - 64, 0) - 1;
};

interface CellContext {
  strings: readonly string[];
  dateStyles: ReadonlySet<number>;
  date1904: boolean;
}

/**
 * A cell as CSV text: numbers in JavaScript's shortest round-trip form, date-styled numbers as ISO dates,
 * formulas by their cached result, shared and inline strings by their text, booleans as true/false; error cells
 * (#N/A, #DIV/0!…) and blanks are missing values.
 */
const cellText = (
  type: string,
  style: number,
  value: string,
  inline: string,
  context: CellContext,
): string => {
  switch (type) {
    case 's': {
      const text = context.strings[Number(value)];
      if (text === undefined)
        throw corrupt(`a cell names shared string ${value.slice(0, 20)}, which is missing`);
      return text;
    }
    case 'inlineStr':
      return inline;
    case 'str':
      return value;
    case 'b':
      return value === '' ? '' : value === '1' || value === 'true' ? 'true' : 'false';
    case 'e':
      return '';
    case 'd':
      return value.endsWith('T00:00:00') || value.endsWith('T00:00:00Z') ? value.slice(0, 10) : value;
    default: {
      if (value.trim() === '') return '';
      const number = Number(value);
      if (!Number.isFinite(number)) return '';
      return context.dateStyles.has(style) ? serialDate(number, context.date1904) : String(number);
    }
  }
};

const trimTrailingBlanks = (cells: string[]): string[] => {
  let length = cells.length;
  while (length > 0 && (cells[length - 1] ?? '').trim() === '') length -= 1;
  return cells.slice(0, length);
};

/** The non-blank rows of a sheet part, cells placed by their reference, trailing blanks dropped. */
const readRows = async (book: Workbook, path: string, context: CellContext): Promise<SourceRecord[]> => {
  const records: SourceRecord[] = [];
  let row: string[] = [];
  let rowNumber = 0;
  let cell = { column: 0, type: 'n', style: 0 };
  let value = '';
  let inline = '';
  let reading: 'v' | 't' | undefined;
  await book.parse(path, {
    open(tag) {
      switch (local(tag.name)) {
        case 'row':
          row = [];
          rowNumber = Number(attribute(tag, 'r') ?? rowNumber + 1);
          break;
        case 'c': {
          const column = columnOf(attribute(tag, 'r') ?? '') ?? row.length;
          if (column >= MAX_DATASET_COLUMNS) {
            throw new ValidationError('XLSX sheet is too wide', [
              {
                path: 'content',
                message: `sheet row ${rowNumber} has a value in column ${column + 1}; at most ${MAX_DATASET_COLUMNS} columns are allowed`,
              },
            ]);
          }
          cell = { column, type: attribute(tag, 't') ?? 'n', style: Number(attribute(tag, 's') ?? '0') };
          value = '';
          inline = '';
          break;
        }
        case 'v':
          reading = 'v';
          break;
        case 't':
          reading = 't';
          break;
        case 'rPh':
          reading = undefined;
          break;
      }
    },
    text(text) {
      if (reading === 'v') value += text;
      else if (reading === 't') inline += text;
    },
    close(tagName) {
      switch (local(tagName)) {
        case 'v':
        case 't':
          reading = undefined;
          break;
        case 'c':
          while (row.length < cell.column) row.push('');
          row[cell.column] = cellText(cell.type, cell.style, value, inline, context);
          break;
        case 'row': {
          const cells = trimTrailingBlanks(row);
          if (cells.length === 0) break;
          // the header and MAX_DATASET_ROWS data rows; one more is refused without reading further
          if (records.length > MAX_DATASET_ROWS) {
            throw new ValidationError('XLSX sheet has too many rows', [
              { path: 'content', message: `at most ${MAX_DATASET_ROWS} data rows are allowed` },
            ]);
          }
          records.push({ record: cells, where: `sheet row ${rowNumber}` });
          break;
        }
      }
    },
  });
  return records;
};

export interface XlsxTable extends CsvShape {
  sheet: string;
  header: string[];
  /** The data rows, every one as wide as the header. */
  data: string[][];
}

/**
 * Reads one worksheet of an XLSX file (the first, or the one named) into typed columns and text rows, with the
 * checks a CSV gets: the first non-empty row names the columns; blank rows are skipped; a row with values past
 * the header's last column is ragged; shorter rows are padded with missing values.
 */
export const readXlsx = async (file: Buffer, sheetName?: string): Promise<XlsxTable> => {
  const book = await Workbook.open(file);
  try {
    const { sheets, date1904 } = await readSheets(book);
    const sheet = sheetName === undefined ? sheets[0] : sheets.find((each) => each.name === sheetName);
    if (sheet === undefined) {
      if (sheetName === undefined) throw corrupt('it has no worksheet');
      const names = sheets.map((each) => `"${each.name}"`).join(', ');
      throw new ValidationError('no such worksheet', [
        { path: 'sheet', message: `the workbook has no sheet "${sheetName}"; it has ${names}` },
      ]);
    }
    const context = {
      strings: await readSharedStrings(book),
      dateStyles: await readDateStyles(book),
      date1904,
    };
    const records = await readRows(book, sheet.path, context);
    const width = records[0]?.record.length ?? 0;
    for (const { record } of records.slice(1)) {
      while (record.length < width) record.push('');
    }
    const shape = describeRecords(`Sheet "${sheet.name}"`, records);
    const [header, ...data] = records.map((record) => record.record);
    return { ...shape, sheet: sheet.name, header: (header ?? []).map((name) => name.trim()), data };
  } finally {
    book.close();
  }
};
