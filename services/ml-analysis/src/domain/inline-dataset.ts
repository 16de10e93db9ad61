import type { CreateDatasetBody } from '@kupala/trade-model';
import { type CsvShape, describeCsv } from './csv-dataset';
import { toCsv } from './views';
import { readXlsx } from './xlsx-dataset';

/** An inline dataset file once accepted: its shape, the CSV text to store, and the size of the file as sent. */
export interface AcceptedFile {
  shape: CsvShape;
  csv: string;
  sizeBytes: number;
}

/**
 * Reads the file of `POST /datasets`: CSV is kept as sent; a workbook's sheet is kept as CSV (so views and runs
 * read every dataset the same way), its size being that of the workbook.
 */
export const acceptInlineFile = async (
  body: CreateDatasetBody & { content: string },
): Promise<AcceptedFile> => {
  if (body.format === 'csv') {
    return {
      shape: describeCsv(body.content),
      csv: body.content,
      sizeBytes: Buffer.byteLength(body.content, 'utf8'),
    };
  }
  const file = Buffer.from(body.content, 'base64');
  const table = await readXlsx(file, body.sheet);
  return {
    shape: { columns: table.columns, rows: table.rows },
    csv: toCsv(table.header, table.data),
    sizeBytes: file.byteLength,
  };
};
