import { canonicalDecimal, Decimal } from '@kupala/trade-model';
import { readIbkrDate } from './dates';
import { compact, RowDraft, skippedRow } from './row-draft';
import type { ParsedRow } from './types';

// IBKR writes the ratio into the description: "AAPL(US0378331005) Split 4 for 1 (AAPL, APPLE INC, US0378331005)".
const SPLIT =
  /^\s*([A-Za-z0-9][A-Za-z0-9.\-/ ]{0,30}?)\s*\(([A-Z]{2}[A-Z0-9]{9}\d)\)\s+split\s+(\d+(?:\.\d+)?)\s+for\s+(\d+(?:\.\d+)?)\b/i;
const RATIO_PLACES = 12;

/** An IBKR corporate action line as read: its description, the date it applies and the asset class. */
export interface CorporateAction {
  assetClass: string | undefined;
  currency: string | undefined;
  description: string | undefined;
  /** The raw date cell and its column name (Date/Time, else Report Date). */
  date: { raw: string | undefined; column: string };
}

/**
 * IBKR corporate actions (activity statement section "Corporate Actions", Flex <CorporateAction>): a split
 * ("… Split 10 for 1 …") is a SPLIT with ratio new/old (10 for 1 → "10", 1 for 8 → "0.125"), booked once
 * however many legs IBKR lists (a reverse split removes the old line and adds the new: the later legs are
 * skipped as NON_ECONOMIC). Every other corporate action is skipped as UNSUPPORTED, its description in
 * the detail: book it by hand.
 */
export class IbkrCorporateActions {
  private readonly booked = new Map<string, number>();

  row(action: CorporateAction, where: { row: number; line?: number }): ParsedRow {
    const description = action.description ?? '';
    const split = SPLIT.exec(description);
    if (split === null) {
      return skippedRow(
        where.row,
        'UNSUPPORTED',
        `corporate action "${description.slice(0, 80)}" is not imported; book it by hand`,
        where.line,
      );
    }
    const [, rawSymbol = '', , newUnits = '1', oldUnits = '1'] = split;
    const draft = new RowDraft(where.row);
    const tradeDate = draft.date('tradeDate', action.date.raw, action.date.column, readIbkrDate);
    if (action.date.raw === undefined) draft.fail('tradeDate', `is required (no ${action.date.column})`);
    if (action.assetClass === undefined) draft.fail('instrument.assetClass', 'is not one the importer reads');
    if (new Decimal(oldUnits).eq(0) || new Decimal(newUnits).eq(0))
      draft.fail('ratio', `"${split[0]?.trim()}" has no ratio`);
    if (draft.errors.length > 0) return draft.failed(where.line);
    const symbol = rawSymbol.trim().toUpperCase();
    const ratio = canonicalDecimal(
      new Decimal(newUnits).div(oldUnits).round(RATIO_PLACES, Decimal.roundHalfEven),
    );
    const key = `${symbol}|${tradeDate}|${ratio}`;
    const first = this.booked.get(key);
    if (first !== undefined) {
      return skippedRow(
        where.row,
        'NON_ECONOMIC',
        `another leg of the split booked on row ${first}`,
        where.line,
      );
    }
    this.booked.set(key, where.row);
    return draft.result(
      compact({
        type: 'SPLIT',
        instrument: { assetClass: action.assetClass, symbol, currency: action.currency },
        ratio,
        currency: action.currency,
        tradeDate,
        note: description.slice(0, 1000),
      }),
      where.line,
    );
  }
}
