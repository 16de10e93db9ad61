// The mapping is part of the public contract (the import body), so its schema lives in @kupala/trade-model.
export {
  GENERIC_CSV_FIELDS,
  type GenericCsvField,
  type GenericCsvMapping,
  GenericCsvMappingSchema,
} from '@kupala/trade-model';
