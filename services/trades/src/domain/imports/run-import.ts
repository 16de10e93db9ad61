import type {
  GenericCsvMapping,
  ImportError,
  ImportFormat,
  SkippedByReason,
  Trade,
  TradeInput,
} from '@kupala/trade-model';
import { newTrade } from '../booking';
import type { ExistingTradesOf } from './holdings';
import { parseBrokerFileBatches } from './parse-broker-file';
import type { BrokerFileInput, ParseOptions } from './types';
import { validateWholeFile } from './whole-file';

/** The import being run, as its stored record has it. */
export interface ImportJob {
  importId: string;
  portfolioId: string;
  format: ImportFormat;
  dryRun: boolean;
  mapping?: GenericCsvMapping;
}

export interface ImportCounts {
  rows: number;
  imported: number;
  duplicates: number;
  skipped: number;
  skippedByReason: SkippedByReason;
  /** A dry run's trades that would be booked (neither stored already nor refused); absent on a real run. */
  wouldImport?: number;
}
export type ImportRunResult =
  | ({ status: 'SUCCEEDED'; errors: [] } & ImportCounts)
  | ({ status: 'FAILED'; errors: ImportError[] } & ImportCounts);

/** What a run touches outside itself (adapters in production, fakes in tests). */
export interface ImportRunPorts {
  /** Opens the file anew (once per pass). */
  openSource: () => Promise<BrokerFileInput>;
  /** Fingerprints already stored, with the import that booked each. */
  storedFingerprints: (fingerprints: string[]) => Promise<Map<string, string>>;
  /** Broker ids booked outside imports (single or batch bookings). */
  bookedExternalIds: (externalIds: string[]) => Promise<string[]>;
  /** Books one chunk atomically with its fingerprints; ALREADY_BOOKED writes nothing of it. */
  bookChunk: (
    chunk: { trade: Trade; fingerprint: string }[],
  ) => Promise<'OK' | 'NO_PORTFOLIO' | 'ALREADY_BOOKED'>;
  recordProgress: (rowsRead: number) => Promise<void>;
  /** The portfolio's ACTIVE trades of a symbol (for split ratios); asked once per symbol per run. */
  existingTradesOf?: ExistingTradesOf;
  newId: () => string;
  now: () => string;
}

export interface ImportRunOptions {
  baseCurrency: string;
  /** Trades per booking transaction. */
  chunkSize: number;
  /** Chunks booked at the same time. */
  concurrency: number;
  progressEvery?: number;
  maxErrors?: number;
}

const PROGRESS_EVERY = 5000;
const MAX_ERRORS = 100;

interface Pending {
  trade: TradeInput;
  fingerprint: string;
}

/**
 * Runs one import: pass 1 reads the whole file and validates it (progress every 5,000 rows); any error
 * fails the import with nothing booked. Pass 2 reads the file again and, group by group, leaves out
 * trades whose fingerprint (or broker id) is already stored and books the rest. A trade whose
 * fingerprint was stored by this same import (a run that crashed half-way) counts as imported, not as a
 * duplicate, so a re-run reports the same counts and books nothing twice. A dry run counts, books nothing.
 */
export const runImport = async (
  job: ImportJob,
  ports: ImportRunPorts,
  options: ImportRunOptions,
): Promise<ImportRunResult> => {
  const existingTradesOf = ports.existingTradesOf;
  const asked = new Map<string, ReturnType<ExistingTradesOf>>();
  const parseOptions: ParseOptions = {
    baseCurrency: options.baseCurrency,
    ...(job.mapping === undefined ? {} : { mapping: job.mapping }),
    // both passes must see the same holdings: read each symbol once
    ...(existingTradesOf === undefined
      ? {}
      : {
          existingTradesOf: (symbol: string) => {
            const known = asked.get(symbol) ?? existingTradesOf(symbol);
            asked.set(symbol, known);
            return known;
          },
        }),
  };
  let progress: Promise<void> = Promise.resolve();
  const report = await validateWholeFile(
    parseBrokerFileBatches(job.format, await ports.openSource(), parseOptions),
    {
      maxErrors: options.maxErrors ?? MAX_ERRORS,
      progressEvery: options.progressEvery ?? PROGRESS_EVERY,
      // one write at a time, in order: a slow write never lets an older count overwrite a newer one
      onProgress: (rows) => {
        progress = progress.then(() => ports.recordProgress(rows));
      },
    },
  );
  await progress;
  const counts: ImportCounts = {
    rows: report.rows,
    imported: 0,
    duplicates: 0,
    skipped: report.skipped,
    skippedByReason: report.skippedByReason,
    ...(job.dryRun ? { wouldImport: 0 } : {}),
  };
  if (!report.ok) return { status: 'FAILED', errors: report.errors, ...counts };

  const groupSize = options.chunkSize * options.concurrency;
  let group: Pending[] = [];
  let portfolioGone = false;
  const settleGroup = async () => {
    const fresh = await leaveOutBooked(group, job, ports, counts);
    group = [];
    if (job.dryRun) counts.wouldImport = (counts.wouldImport ?? 0) + fresh.length;
    if (job.dryRun || fresh.length === 0) return;
    const stamp = ports.now();
    const trades = fresh.map((item) => ({
      trade: newTrade(job.portfolioId, item.trade, { id: ports.newId(), now: stamp }),
      fingerprint: item.fingerprint,
    }));
    const chunks: (typeof trades)[] = [];
    for (let start = 0; start < trades.length; start += options.chunkSize)
      chunks.push(trades.slice(start, start + options.chunkSize));
    await Promise.all(
      chunks.map(async (chunk) => {
        const outcome = await ports.bookChunk(chunk);
        if (outcome === 'OK') counts.imported += chunk.length;
        else if (outcome === 'NO_PORTFOLIO') portfolioGone = true;
        // booked meanwhile by a concurrent delivery of this import: sort the chunk out again, trade by trade
        else await settleOneByOne(chunk, job, ports, counts);
      }),
    );
  };
  for await (const batch of parseBrokerFileBatches(job.format, await ports.openSource(), parseOptions)) {
    for (const row of batch) {
      if (row.trade === undefined || row.fingerprint === undefined) continue;
      group.push({ trade: row.trade, fingerprint: row.fingerprint });
      if (group.length >= groupSize) await settleGroup();
      if (portfolioGone) break;
    }
    if (portfolioGone) break;
  }
  if (!portfolioGone && group.length > 0) await settleGroup();
  if (portfolioGone) {
    return {
      status: 'FAILED',
      errors: [{ row: 0, field: 'portfolioId', message: 'the portfolio was deleted during the import' }],
      ...counts,
    };
  }
  return { status: 'SUCCEEDED', errors: [], ...counts };
};

/** Counts what is already stored and answers the rest. */
const leaveOutBooked = async <T extends { trade: { externalId?: string }; fingerprint: string }>(
  group: T[],
  job: ImportJob,
  ports: ImportRunPorts,
  counts: ImportCounts,
): Promise<T[]> => {
  const stored = await ports.storedFingerprints(group.map((item) => item.fingerprint));
  const externalIds = group.flatMap((item) =>
    item.trade.externalId === undefined || stored.has(item.fingerprint) ? [] : [item.trade.externalId],
  );
  const bookedIds = new Set(externalIds.length === 0 ? [] : await ports.bookedExternalIds(externalIds));
  return group.filter((item) => {
    const bookedBy = stored.get(item.fingerprint);
    if (bookedBy === job.importId) counts.imported++;
    else if (bookedBy !== undefined) counts.duplicates++;
    else if (item.trade.externalId !== undefined && bookedIds.has(item.trade.externalId)) counts.duplicates++;
    else return true;
    return false;
  });
};

const settleOneByOne = async (
  chunk: { trade: Trade; fingerprint: string }[],
  job: ImportJob,
  ports: ImportRunPorts,
  counts: ImportCounts,
): Promise<void> => {
  for (const item of chunk) {
    const [fresh] = await leaveOutBooked([item], job, ports, counts);
    if (fresh === undefined) continue;
    const outcome = await ports.bookChunk([item]);
    if (outcome === 'OK') counts.imported++;
    else counts.duplicates++;
  }
};
