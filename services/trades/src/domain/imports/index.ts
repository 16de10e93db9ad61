export { GENERIC_DATE_FORMATS, type GenericDateFormat } from './dates';
export { Fingerprinter, tradeContent } from './fingerprint';
export { bookFee, type ChargedFee, type FeeBooking } from './foreign-fees';
export {
  GENERIC_CSV_FIELDS,
  type GenericCsvField,
  type GenericCsvMapping,
  GenericCsvMappingSchema,
} from './generic-csv-mapping';
export { KUPALA_JSON_FORMAT, KUPALA_JSON_VERSION } from './kupala-json';
export {
  DEFAULT_MAX_ROWS,
  fileErrorRow,
  isImportFormat,
  parseBrokerFile,
  parseBrokerFileBatches,
} from './parse-broker-file';
export {
  type BrokerFileInput,
  IMPORT_FORMATS,
  ImportFileError,
  type ImportFormat,
  type ImportRow,
  type ParseOptions,
  type RowError,
  type SkipReason,
} from './types';
export {
  type ImportedTrade,
  validateWholeFile,
  type WholeFileOptions,
  type WholeFileReport,
} from './whole-file';
