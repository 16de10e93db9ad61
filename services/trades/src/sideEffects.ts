import {
  buildIdempotencyStore,
  createDocumentClient,
  createS3Client,
  getEnvVariable,
  type HttpRouteOptions,
  type IdempotencyStore,
  lazily,
} from '@kupala/trade-model';
import { monotonicFactory } from 'ulid';
import { buildExportFiles, type ExportFiles } from './adapters/export-files';
import { buildImportFiles, type ImportFiles } from './adapters/import-files';
import { buildImportsStore, type ImportsStore } from './adapters/imports-store';
import { buildOrdersStore, type OrdersStore } from './adapters/orders-store';
import { buildTradesStore, type TradesStore } from './adapters/trades-store';

/** Everything a trades handler touches outside itself; tests pass their own. */
export interface TradesSideEffects {
  store: TradesStore;
  /** Idempotency records live in the Trades table too (TTL on expiresAt). */
  idempotency: IdempotencyStore;
  newId: () => string;
  now: () => string;
}

/** Production side effects, built once per container (configuration read at cold start). */
export const tradesSideEffects = lazily((): TradesSideEffects => {
  const ulid = monotonicFactory();
  const client = createDocumentClient();
  const tableName = getEnvVariable('TRADES_TABLE');
  return {
    store: buildTradesStore(client, tableName),
    idempotency: buildIdempotencyStore(client, tableName),
    newId: () => ulid(),
    now: () => new Date().toISOString(),
  };
});

/** Route options every trades handler is built with: idempotent routes keep records through its side effects. */
export const tradesRouteOptions = (effects: () => TradesSideEffects): HttpRouteOptions => ({
  idempotencyStore: () => effects().idempotency,
});

/** What the order handlers touch: the trades side effects plus the block orders. */
export interface OrdersSideEffects extends TradesSideEffects {
  orders: OrdersStore;
}

/** Production side effects of the order handlers, built once per container. */
export const ordersSideEffects = lazily(
  (): OrdersSideEffects => ({
    ...tradesSideEffects(),
    orders: buildOrdersStore(createDocumentClient(), getEnvVariable('TRADES_TABLE')),
  }),
);

/** What the import handlers touch: the trades side effects plus import records and files. */
export interface ImportsSideEffects extends TradesSideEffects {
  imports: ImportsStore;
  files: ImportFiles;
}

/**
 * The S3 client. The endpoint comes from the SDK's own configuration (AWS_ENDPOINT_URL_S3 points it at
 * the local S3 server, which only understands path-style addressing).
 */

/** Production side effects of the import handlers, built once per container. */
export const importsSideEffects = lazily((): ImportsSideEffects => {
  // only the functions that read or write import files need (and get) IMPORTS_BUCKET
  const files = lazily(() => buildImportFiles(createS3Client(), getEnvVariable('IMPORTS_BUCKET')));
  return {
    ...tradesSideEffects(),
    imports: buildImportsStore(createDocumentClient(), getEnvVariable('TRADES_TABLE')),
    get files() {
      return files();
    },
  };
});

/** What the export handler touches: the trades side effects plus the export files (in the imports bucket). */
export interface ExportSideEffects extends TradesSideEffects {
  exports: ExportFiles;
}

/** Production side effects of the export handler, built once per container. */
export const exportSideEffects = lazily((): ExportSideEffects => {
  const exports = lazily(() => buildExportFiles(createS3Client(), getEnvVariable('IMPORTS_BUCKET')));
  return {
    ...tradesSideEffects(),
    get exports() {
      return exports();
    },
  };
});
