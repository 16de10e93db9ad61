import { type ImportProgressMessage, ImportProgressMessageSchema } from '@kupala/trade-model';

/** An import's progress and whose connections should see it (the owner, from the item's key). */
export interface ImportProgress {
  sub: string;
  message: ImportProgressMessage;
}

export class MalformedImportRecordError extends Error {
  override readonly name = 'MalformedImportRecordError';
}

const OWNER_PARTITION = /^USER#([A-Za-z0-9-]{1,128})#PORTFOLIO#([0-9A-HJKMNP-TV-Z]{26})$/;
const IMPORT_SORT_KEY = /^IMPORT#([0-9A-HJKMNP-TV-Z]{26})$/;

const countOf = (value: unknown): number => (typeof value === 'number' ? value : 0);

const progressMessage = (image: Record<string, unknown>): ImportProgress => {
  const owner = OWNER_PARTITION.exec(String(image.pk));
  const id = IMPORT_SORT_KEY.exec(String(image.sk));
  if (owner === null || id === null || image.importId !== id[1] || image.portfolioId !== owner[2])
    throw new MalformedImportRecordError('not an IMPORT item of its owner and portfolio');
  const progress = image.progress as { rowsRead?: unknown } | undefined;
  const parsed = ImportProgressMessageSchema.safeParse({
    type: 'import.progress',
    importId: image.importId,
    portfolioId: image.portfolioId,
    status: image.status,
    rowsRead: countOf(progress?.rowsRead),
    rows: countOf(image.rows),
    imported: countOf(image.imported),
    duplicates: countOf(image.duplicates),
    skipped: countOf(image.skipped),
    errors: Array.isArray(image.errors) ? image.errors.length : 0,
    updatedAt: image.updatedAt,
  });
  if (!parsed.success) throw new MalformedImportRecordError('IMPORT item does not fit import.progress');
  return { sub: owner[1] ?? '', message: parsed.data };
};

const sameProgress = (left: ImportProgressMessage, right: ImportProgressMessage): boolean =>
  JSON.stringify({ ...left, updatedAt: '' }) === JSON.stringify({ ...right, updatedAt: '' });

/**
 * What a Trades-table change means for import progress: a message when an IMPORT item's status or counts
 * moved (created, claimed, progress, finished), nothing for other items, removals or changes that move
 * nothing a client sees (e.g. the upload URL dropped). The owner comes from the key, never the body.
 */
export const importProgressOf = (
  newImage: Record<string, unknown> | undefined,
  oldImage: Record<string, unknown> | undefined,
): ImportProgress | undefined => {
  if (newImage === undefined || newImage.entity !== 'IMPORT') return undefined;
  const current = progressMessage(newImage);
  if (oldImage === undefined || oldImage.entity !== 'IMPORT') return current;
  let previous: ImportProgressMessage | undefined;
  try {
    previous = progressMessage(oldImage).message;
  } catch {
    // an unreadable earlier version: the current one is news either way
  }
  return previous !== undefined && sameProgress(previous, current.message) ? undefined : current;
};
