import { CREDENTIALS_ROUTES } from './credentials-routes';
import { EOD_ROUTES } from './eod-routes';
import { IMPORT_ROUTES } from './import-routes';
import { MARKET_DATA_ROUTES } from './market-data-routes';
import { ML_ROUTES } from './ml-routes';
import { ORDER_ROUTES } from './order-routes';
import { POSITIONS_ROUTES } from './positions-routes';
import { TRADES_ROUTES } from './routes';

/** Every operation of the public HTTP API, in document order (the OpenAPI document is built from this). */
export const ROUTES = [
  ...TRADES_ROUTES,
  ...IMPORT_ROUTES,
  ...ORDER_ROUTES,
  ...MARKET_DATA_ROUTES,
  ...POSITIONS_ROUTES,
  ...EOD_ROUTES,
  ...ML_ROUTES,
  ...CREDENTIALS_ROUTES,
] as const;
