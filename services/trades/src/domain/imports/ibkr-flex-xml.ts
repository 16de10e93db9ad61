/*
 * ibkr-flex-xml: an Interactive Brokers Flex Query in XML —
 * <FlexQueryResponse><FlexStatements><FlexStatement …><Trades><Trade …/></Trades>
 * <CashTransactions><CashTransaction …/></CashTransactions></FlexStatement>…</FlexStatements>.
 * - Read with a streaming SAX parser (saxes): one element at a time, never the whole document.
 * - Rows: the 1-based ordinal of each record element (Trade, Order, Lot, SymbolSummary, AssetSummary
 *   inside <Trades>; CashTransaction inside <CashTransactions>) across all statements of the file; `line`
 *   is the line where the element's start tag ends.
 * - Mapping, fees in another currency (converted at fxRateToBase when in the base currency, else a
 *   separate FEE trade) and skips: see ibkr-records.ts. <Order>, <Lot> and summary elements are skipped
 *   (ORDER_SUMMARY, CLOSED_LOT, SUBTOTAL); every other section (positions, NAV, …) is ignored.
 * - <CorporateAction> (inside <CorporateActions>): a split → SPLIT with the ratio its description gives,
 *   once for all its legs; other actions UNSUPPORTED (corporate-actions.ts). Also numbered as rows.
 * - File errors: not well-formed XML, a root element other than <FlexQueryResponse> (e.g. a Flex web
 *   service error response), an empty file.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { IbkrCorporateActions } from './corporate-actions';
import { type IbkrRecord, ibkrAssetClass, ibkrCashRow, ibkrFieldName, ibkrTradeRows } from './ibkr-records';
import { skippedRow } from './row-draft';
import { decodeText } from './text-input';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

// A Map, not an object literal: an element named <constructor> must find nothing.
const TRADE_SKIPS: ReadonlyMap<string, ParsedRow['skipped']> = new Map<string, ParsedRow['skipped']>([
  ['Order', 'ORDER_SUMMARY'],
  ['Lot', 'CLOSED_LOT'],
  ['SymbolSummary', 'SUBTOTAL'],
  ['AssetSummary', 'SUBTOTAL'],
]);

const recordOf = (attributes: Record<string, string>): IbkrRecord => {
  const record: IbkrRecord = new Map();
  for (const name in attributes) {
    const value = attributes[name];
    if (value !== undefined) record.set(ibkrFieldName(name), value);
  }
  return record;
};

export async function* parseIbkrFlexXml(
  input: BrokerFileInput,
  options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const ready: ParsedRow[] = [];
  let failure: ImportFileError | undefined;
  let root: string | undefined;
  let section: 'trades' | 'cash' | 'corporate' | undefined;
  const corporateActions = new IbkrCorporateActions();
  let ordinal = 0;

  parser.on('error', (error) => {
    failure ??= new ImportFileError(`the file is not well-formed XML (${error.message})`, { cause: error });
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (failure !== undefined) return;
    if (root === undefined) {
      root = tag.name;
      if (root !== 'FlexQueryResponse') {
        failure = new ImportFileError(
          `not an IBKR Flex Query: the root element is <${root}>, not <FlexQueryResponse>`,
        );
      }
      return;
    }
    if (tag.name === 'Trades') section = 'trades';
    else if (tag.name === 'CashTransactions') section = 'cash';
    else if (tag.name === 'CorporateActions') section = 'corporate';
    else if (section === 'trades') {
      const where = { row: ++ordinal, line: parser.line };
      const skip = TRADE_SKIPS.get(tag.name);
      if (skip !== undefined) ready.push(skippedRow(where.row, skip, undefined, where.line));
      else if (tag.name === 'Trade')
        ready.push(...ibkrTradeRows(recordOf(tag.attributes), where, options.baseCurrency));
      else
        ready.push(
          skippedRow(where.row, 'OTHER_SECTION', `<${tag.name.slice(0, 40)}> is not imported`, where.line),
        );
    } else if (section === 'corporate' && tag.name === 'CorporateAction') {
      const record = recordOf(tag.attributes);
      const field = (name: string) => {
        const value = record.get(name)?.trim();
        return value === undefined || value === '' ? undefined : value;
      };
      const dateColumn = field('datetime') === undefined ? 'reportdate' : 'datetime';
      ready.push(
        corporateActions.row(
          {
            assetClass: ibkrAssetClass(field('assetcategory'), field('subcategory')),
            currency: field('currency')?.toUpperCase(),
            description: field('description') ?? field('actiondescription'),
            date: { raw: field(dateColumn), column: dateColumn === 'datetime' ? 'dateTime' : 'reportDate' },
          },
          { row: ++ordinal, line: parser.line },
        ),
      );
    } else if (section === 'cash' && tag.name === 'CashTransaction') {
      ready.push(ibkrCashRow(recordOf(tag.attributes), { row: ++ordinal, line: parser.line }));
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'Trades' || tag.name === 'CashTransactions' || tag.name === 'CorporateActions')
      section = undefined;
  });

  let blank = true;
  for await (const chunk of decodeText(input)) {
    blank &&= chunk.trim() === '';
    parser.write(chunk);
    if (failure !== undefined) throw failure;
    if (ready.length > 0) yield ready.splice(0);
  }
  if (blank) throw new ImportFileError('the file is empty: no <FlexQueryResponse> element');
  parser.close();
  if (failure !== undefined) throw failure;
  yield ready.splice(0);
}
