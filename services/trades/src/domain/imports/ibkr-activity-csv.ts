/*
 * ibkr-activity-csv: the Interactive Brokers activity statement exported as CSV. Every line starts with
 * its section ("Statement", "Trades", "Dividends", …) and a line kind (Header, Data, SubTotal, Total),
 * e.g. `Trades,Data,Order,Stocks,USD,AAPL,"2026-01-05, 10:31:02",10,190.5,…`. Columns are read by the
 * names of the section's latest Header line (a section may repeat its header with other columns, as the
 * Forex block does).
 * - Imported: Trades Data lines whose DataDiscriminator is Order or Trade (or that have none). Asset
 *   Category Stocks → EQUITY, Equity and Index Options / Options On Futures → OPTION, Futures → FUTURE,
 *   Forex → FX, Bonds → BOND, Mutual Funds → FUND, Crypto → CRYPTO; others are row errors.
 *   Quantity (negative for sells) → magnitude with BUY/SELL; Code O on a sell → SELL_SHORT, C on a buy →
 *   BUY_TO_COVER, Ep → EXPIRE, Ca (cancelled) → row error. T. Price → price; Date/Time → tradeDate.
 *   Options ("AAPL 18DEC26 200 C") get their terms from the symbol and their multiplier from the
 *   statement's Financial Instrument Information section (default 100); futures need that section for
 *   expiry and multiplier. Because that section comes after Trades, option and future lines are held
 *   back and yielded at the end of the file (still with their own line numbers): the only rows not in
 *   file order, and the only buffering (derivative lines only).
 * - Fees: |Comm/Fee| in the trade's currency (none when 0). A block whose header says "Comm in USD" charges in that
 *   currency; the statement gives no rate, so a commission in another currency than the trade's is a
 *   separate FEE trade in the commission's currency.
 * - Skipped: Header lines, SubTotal/Total lines, ClosedLot lines, and every other section (Dividends,
 *   Withholding Tax, Interest, Deposits & Withdrawals… are not imported from this format: use a Flex
 *   query for cash activity). No broker ids: fingerprints are content hashes.
 * - File errors: a first line that is not `<Section>,Header,…`, a Trades Data line before any Trades
 *   Header, a Trades header missing a required column.
 */

import { readCsvBatches } from './csv-lines';
import { readIbkrDate } from './dates';
import { bookFee, separateFeeRow } from './foreign-fees';
import { ibkrExecutionMembers, ibkrTradeType } from './ibkr-records';
import { optionInstrument, parseIbkrActivityOptionSymbol } from './option-symbols';
import { compact, RowDraft, skippedRow } from './row-draft';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

type Row = Map<string, string>;

interface TradesHeader {
  names: string[];
  /** From a "Comm in USD" column: the commission's currency when it is not the trade's. */
  commissionCurrency?: string;
}

interface InstrumentFacts {
  multiplier?: string;
  expiry?: string;
}

const TRADES = 'trades';
const INSTRUMENT_INFO = 'financial instrument information';
const REQUIRED = ['assetcategory', 'currency', 'symbol', 'datetime', 'quantity', 'tprice'];
const ASSET_CLASSES: Record<string, string> = {
  stocks: 'EQUITY',
  'equity and index options': 'OPTION',
  'options on futures': 'OPTION',
  futures: 'FUTURE',
  forex: 'FX',
  bonds: 'BOND',
  'mutual funds': 'FUND',
  crypto: 'CRYPTO',
  cryptocurrency: 'CRYPTO',
};

const columnName = (header: string): string => {
  if (/^comm in [a-z]{3}$/i.test(header.trim())) return 'commfee';
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
};

const rowOf = (names: string[], cells: string[]): Row => {
  const row: Row = new Map();
  names.forEach((name, position) => {
    const value = cells[position];
    if (value !== undefined && value !== '' && !row.has(name)) row.set(name, value);
  });
  return row;
};

const factsKey = (category: string, symbol: string) => `${category.toLowerCase()}|${symbol.toUpperCase()}`;

const codes = (value: string | undefined): Set<string> =>
  new Set((value ?? '').split(';').map((code) => code.trim().toUpperCase()));

const tradeRows = (
  row: Row,
  header: TradesHeader,
  line: number,
  facts: Map<string, InstrumentFacts>,
): ParsedRow[] => {
  const draft = new RowDraft(line);
  const category = row.get('assetcategory') ?? '';
  const assetClass = ASSET_CLASSES[category.toLowerCase()];
  const symbol = row.get('symbol');
  const currency = row.get('currency')?.toUpperCase();
  const code = codes(row.get('code'));
  if (code.has('CA')) {
    draft.fail('type', 'a cancelled trade (code Ca) is not imported');
    return [draft.failed()];
  }
  const signed = draft.number('quantity', row.get('quantity'), 'Quantity');
  if (signed === undefined && draft.errors.length === 0) draft.fail('quantity', 'is required');
  const type = ibkrTradeType({
    expired: code.has('EP'),
    sells: signed?.negative === true,
    opens: code.has('O') && !code.has('C'),
    closes: code.has('C') && !code.has('O'),
  });

  let instrument: Record<string, unknown> | undefined;
  if (assetClass === undefined)
    draft.fail('instrument.assetClass', `Asset Category "${category}" is not supported`);
  else if (symbol === undefined) draft.fail('instrument.symbol', 'is required');
  else if (assetClass === 'OPTION') {
    const terms = parseIbkrActivityOptionSymbol(symbol);
    const known = facts.get(factsKey(category, symbol));
    if (terms === undefined)
      draft.fail('instrument.symbol', `"${symbol}" is not an option symbol like "AAPL 18DEC26 200 C"`);
    else instrument = optionInstrument(terms, currency ?? '', known?.multiplier ?? '100');
  } else if (assetClass === 'FUTURE') {
    const known = facts.get(factsKey(category, symbol));
    if (known?.expiry === undefined) {
      draft.fail(
        'instrument.expiry',
        `the statement's Financial Instrument Information does not list future "${symbol}"`,
      );
    }
    instrument = compact({
      assetClass,
      symbol,
      currency,
      expiry: known?.expiry,
      multiplier: known?.multiplier,
    });
  } else instrument = { assetClass, symbol, currency };

  const tradeDate = draft.date('tradeDate', row.get('datetime'), 'Date/Time', readIbkrDate);
  const commission = draft.magnitude('fees', row.get('commfee'), 'Comm/Fee', 'allowed');
  const booking = bookFee(
    commission === undefined || !/[1-9]/.test(commission)
      ? undefined
      : { amount: commission, currency: header.commissionCurrency ?? currency ?? '' },
    { currency },
    undefined,
  );
  const candidate = compact(
    ibkrExecutionMembers(draft, {
      type,
      instrument,
      quantity: signed,
      price: { raw: row.get('tprice'), column: 'T. Price' },
      currency,
      fees: booking.fees,
      tradeDate,
    }),
  );
  const rows = [draft.result(candidate)];
  if (booking.separate !== undefined) {
    rows.push(
      separateFeeRow(
        { row: line },
        booking.separate,
        { tradeDate },
        undefined,
        `commission of the ${symbol} trade on line ${line}`,
      ),
    );
  }
  return rows;
};

export async function* parseIbkrActivityCsv(
  input: BrokerFileInput,
  _options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  let started = false;
  let tradesHeader: TradesHeader | undefined;
  let infoNames: string[] | undefined;
  const facts = new Map<string, InstrumentFacts>();
  const heldBack: { row: Row; header: TradesHeader; line: number }[] = [];

  for await (const batch of readCsvBatches(input)) {
    const out: ParsedRow[] = [];
    for (const { line, cells } of batch) {
      if (cells.length === 0) continue;
      const section = (cells[0] ?? '').toLowerCase();
      const kind = (cells[1] ?? '').toLowerCase();
      if (!started) {
        started = true;
        if (section === '' || kind !== 'header') {
          throw new ImportFileError(
            'not an IBKR activity statement: the first line should be a section header such as "Statement,Header,Field Name,Field Value"',
            { line },
          );
        }
      }
      if (section === INSTRUMENT_INFO) {
        if (kind === 'header') infoNames = cells.slice(2).map(columnName);
        else if (kind === 'data' && infoNames !== undefined) {
          const info = rowOf(infoNames, cells.slice(2));
          const symbol = info.get('symbol');
          const expiry = readIbkrDate(info.get('expiry') ?? '');
          if (symbol !== undefined) {
            facts.set(factsKey(info.get('assetcategory') ?? '', symbol), {
              ...(info.get('multiplier') === undefined
                ? {}
                : { multiplier: info.get('multiplier')?.replace(/,/g, '') }),
              ...(expiry?.ok ? { expiry: expiry.date } : {}),
            });
          }
        }
        out.push(skippedRow(line, 'OTHER_SECTION'));
        continue;
      }
      if (section !== TRADES) {
        out.push(skippedRow(line, kind === 'header' ? 'HEADER' : 'OTHER_SECTION'));
        continue;
      }
      if (kind === 'header') {
        const headerCells = cells.slice(2);
        const names = headerCells.map(columnName);
        const missing = REQUIRED.filter((name) => !names.includes(name));
        if (missing.length > 0)
          throw new ImportFileError(`the Trades header lacks ${missing.join(', ')}`, { line });
        const commissionIn = headerCells
          .map((name) => /^comm in ([a-z]{3})$/i.exec(name.trim())?.[1])
          .find(Boolean);
        tradesHeader = {
          names,
          ...(commissionIn === undefined ? {} : { commissionCurrency: commissionIn.toUpperCase() }),
        };
        out.push(skippedRow(line, 'HEADER'));
        continue;
      }
      if (kind === 'subtotal') {
        out.push(skippedRow(line, 'SUBTOTAL'));
        continue;
      }
      if (kind === 'total') {
        out.push(skippedRow(line, 'TOTAL'));
        continue;
      }
      if (kind !== 'data') {
        out.push(skippedRow(line, 'OTHER_SECTION'));
        continue;
      }
      if (tradesHeader === undefined)
        throw new ImportFileError('a Trades Data line before any Trades Header line', { line });
      const row = rowOf(tradesHeader.names, cells.slice(2));
      const discriminator = (row.get('datadiscriminator') ?? 'order').toLowerCase();
      if (discriminator === 'closedlot') out.push(skippedRow(line, 'CLOSED_LOT'));
      else if (discriminator !== 'order' && discriminator !== 'trade') {
        out.push(
          skippedRow(
            line,
            'UNSUPPORTED',
            `Trades lines of kind "${row.get('datadiscriminator')}" are not imported`,
          ),
        );
      } else if (/option|future/i.test(row.get('assetcategory') ?? ''))
        heldBack.push({ row, header: tradesHeader, line });
      else out.push(...tradeRows(row, tradesHeader, line, facts));
    }
    yield out;
  }
  if (!started) throw new ImportFileError('the file is empty: no activity statement sections');
  for (const { row, header, line } of heldBack) yield tradeRows(row, header, line, facts);
}
