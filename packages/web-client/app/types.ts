export type {
  Analysis,
  AnalysisProgressMessage,
  Dataset,
  DatasetDetail,
  HistoryDay,
  Import,
  ImportProgressMessage,
  Lot,
  PerformanceView,
  Portfolio,
  Position,
  PositionsMessage,
  Trade,
  TradeType,
  WhatIfSaleResult,
} from '@kupala/trade-model';

/** What the site's /config.json says: where the API is and how to sign in (local issuer or Cognito). */
export interface ClientConfig {
  apiUrl: string;
  wsUrl: string;
  auth:
    | { mode: 'local'; tokenUrl: string }
    | { mode: 'cognito'; domain: string; clientId: string; scopes?: string };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
