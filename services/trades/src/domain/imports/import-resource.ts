import type { CreateImportBody, GenericCsvMapping, Import } from '@kupala/trade-model';

/** An import as stored: the resource plus what processing needs (the mapping) and the upload's expiry. */
export type ImportRecord = Import & { mapping?: GenericCsvMapping; uploadExpiresAt?: string };

/** A new import, PENDING until its file is stored. */
export const newImport = (
  portfolioId: string,
  body: CreateImportBody,
  stamp: { id: string; now: string },
  upload?: { url: string; expiresAt: string },
): ImportRecord => ({
  importId: stamp.id,
  portfolioId,
  format: body.format,
  dryRun: body.dryRun,
  status: 'PENDING',
  rows: 0,
  imported: 0,
  duplicates: 0,
  skipped: 0,
  skippedByReason: {},
  errors: [],
  progress: { rowsRead: 0 },
  createdAt: stamp.now,
  updatedAt: stamp.now,
  ...(body.format === 'generic-csv' && body.mapping !== undefined ? { mapping: body.mapping } : {}),
  ...(upload === undefined ? {} : { uploadUrl: upload.url, uploadExpiresAt: upload.expiresAt }),
});

/** The resource `GET …/imports/{importId}` answers: the upload URL only while it can still be used. */
export const importResource = (record: ImportRecord, now: string): Import => {
  const { mapping: _mapping, uploadExpiresAt, uploadUrl, ...resource } = record;
  const uploadOpen =
    uploadUrl !== undefined &&
    record.status === 'PENDING' &&
    uploadExpiresAt !== undefined &&
    uploadExpiresAt > now;
  return uploadOpen ? { ...resource, uploadUrl } : resource;
};
