import { canonicalDecimal, type Decimal, decimal } from '@kupala/trade-model';

/** One position row of a broker statement (`row`: its 1-based line in the file). */
export interface BrokerPosition {
  row: number;
  symbol: string;
  currency?: string;
  quantity: string;
  /** Total cost in the position's currency, when the statement gives it. */
  costBasis?: string;
}

/** A position as Kupala computes it. */
export interface ComputedPosition {
  instrumentKey: string;
  symbol: string;
  currency: string;
  quantity: string;
  costBasis: string;
}

/** Differences up to these (absolute) are not breaks. */
export interface ReconcileTolerance {
  quantity: string;
  cost: string;
}
export const DEFAULT_TOLERANCE: ReconcileTolerance = { quantity: '0', cost: '0.01' };

export type ReconciliationBreak =
  | { type: 'MISSING_IN_KUPALA'; row: number; symbol: string; brokerQuantity: string }
  | { type: 'MISSING_AT_BROKER'; instrumentKey: string; symbol: string; kupalaQuantity: string }
  | { type: 'DUPLICATE_ROW'; row: number; firstRow: number; symbol: string }
  | { type: 'AMBIGUOUS_ROW'; row: number; symbol: string; candidates: string[] }
  | {
      type: 'QUANTITY_MISMATCH';
      row: number;
      instrumentKey: string;
      brokerQuantity: string;
      kupalaQuantity: string;
      difference: string;
    }
  | {
      type: 'COST_MISMATCH';
      row: number;
      instrumentKey: string;
      brokerCost: string;
      kupalaCost: string;
      difference: string;
    };

export interface Reconciliation {
  /** Rows matched to a position with no quantity or cost break. */
  matched: number;
  breaks: ReconciliationBreak[];
}

const beyond = (difference: Decimal, tolerance: string) => difference.abs().gt(decimal(tolerance));

/**
 * Reconciles row by row and instrument by instrument, never by totals (totals hide duplicates): each
 * broker row is matched to one computed position by symbol (and currency when the row gives one); a
 * second row for the same position is a DUPLICATE_ROW, a row matching nothing MISSING_IN_KUPALA, a row
 * whose symbol fits several positions and gives no currency AMBIGUOUS_ROW. A matched row breaks on
 * quantity (broker − Kupala beyond the tolerance) and on cost basis when the row has one. An open
 * position no row matched is MISSING_AT_BROKER. Breaks come in row order, then the missing positions.
 */
export const reconcilePositions = (
  broker: readonly BrokerPosition[],
  computed: readonly ComputedPosition[],
  tolerance: ReconcileTolerance = DEFAULT_TOLERANCE,
): Reconciliation => {
  const open = computed.filter((position) => !decimal(position.quantity).eq(0));
  const bySymbol = new Map<string, ComputedPosition[]>();
  for (const position of open) {
    const symbol = position.symbol.toUpperCase();
    bySymbol.set(symbol, [...(bySymbol.get(symbol) ?? []), position]);
  }
  const matchedBy = new Map<string, number>();
  const breaks: ReconciliationBreak[] = [];
  let matched = 0;

  for (const row of [...broker].sort((a, b) => a.row - b.row)) {
    const symbol = row.symbol.trim().toUpperCase();
    const sameSymbol = bySymbol.get(symbol) ?? [];
    const candidates =
      row.currency === undefined
        ? sameSymbol
        : sameSymbol.filter((position) => position.currency === row.currency);
    if (candidates.length === 0) {
      breaks.push({
        type: 'MISSING_IN_KUPALA',
        row: row.row,
        symbol,
        brokerQuantity: canonicalDecimal(row.quantity),
      });
      continue;
    }
    if (candidates.length > 1) {
      breaks.push({
        type: 'AMBIGUOUS_ROW',
        row: row.row,
        symbol,
        candidates: candidates.map((c) => c.instrumentKey),
      });
      continue;
    }
    const [position] = candidates as [ComputedPosition];
    const firstRow = matchedBy.get(position.instrumentKey);
    if (firstRow !== undefined) {
      breaks.push({ type: 'DUPLICATE_ROW', row: row.row, firstRow, symbol });
      continue;
    }
    matchedBy.set(position.instrumentKey, row.row);
    let clean = true;
    const quantityDifference = decimal(row.quantity).minus(decimal(position.quantity));
    if (beyond(quantityDifference, tolerance.quantity)) {
      clean = false;
      breaks.push({
        type: 'QUANTITY_MISMATCH',
        row: row.row,
        instrumentKey: position.instrumentKey,
        brokerQuantity: canonicalDecimal(row.quantity),
        kupalaQuantity: canonicalDecimal(position.quantity),
        difference: canonicalDecimal(quantityDifference),
      });
    }
    if (row.costBasis !== undefined) {
      const costDifference = decimal(row.costBasis).minus(decimal(position.costBasis));
      if (beyond(costDifference, tolerance.cost)) {
        clean = false;
        breaks.push({
          type: 'COST_MISMATCH',
          row: row.row,
          instrumentKey: position.instrumentKey,
          brokerCost: canonicalDecimal(row.costBasis),
          kupalaCost: canonicalDecimal(position.costBasis),
          difference: canonicalDecimal(costDifference),
        });
      }
    }
    if (clean) matched += 1;
  }

  for (const position of open) {
    if (!matchedBy.has(position.instrumentKey)) {
      breaks.push({
        type: 'MISSING_AT_BROKER',
        instrumentKey: position.instrumentKey,
        symbol: position.symbol,
        kupalaQuantity: canonicalDecimal(position.quantity),
      });
    }
  }
  return { matched, breaks };
};
