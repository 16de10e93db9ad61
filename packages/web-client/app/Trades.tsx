import { useCallback, useEffect, useState } from 'preact/hooks';
import { type FormErrors, formErrors } from '../src/api-errors';
import {
  fieldsForTradeType,
  TRADE_FORM_TYPES,
  type TradeFormField,
  tradeBodyFromForm,
} from '../src/trade-form';
import { type Api, ApiError, query } from './api';
import { Money, Quantity } from './format';
import type { Page, Portfolio, Trade, TradeType } from './types';

const ASSET_CLASSES = ['EQUITY', 'ETF', 'FUND', 'BOND', 'OPTION', 'FUTURE', 'FX', 'CRYPTO', 'CASH'] as const;
type InstrumentField =
  | 'assetClass'
  | 'symbol'
  | 'multiplier'
  | 'underlying'
  | 'expiry'
  | 'strike'
  | 'putCall';
const INSTRUMENT_FIELDS_BY_CLASS: Record<string, InstrumentField[]> = {
  OPTION: ['underlying', 'expiry', 'strike', 'putCall', 'multiplier'],
  FUTURE: ['underlying', 'expiry', 'multiplier'],
  BOND: ['multiplier'],
};
const LABELS: Record<TradeFormField | InstrumentField, string> = {
  instrument: 'Instrument',
  quantity: 'Quantity',
  price: 'Price',
  amount: 'Amount',
  ratio: 'Split ratio (new per old)',
  currency: 'Currency',
  fees: 'Fees',
  tradeDate: 'Trade date',
  settleDate: 'Settle date',
  fxRate: 'FX rate to base',
  externalId: 'Broker id',
  note: 'Note',
  assetClass: 'Asset class',
  symbol: 'Symbol',
  multiplier: 'Multiplier',
  underlying: 'Underlying',
  expiry: 'Expiry',
  strike: 'Strike',
  putCall: 'Put/Call',
};
const INPUT_TYPE: Partial<Record<TradeFormField | InstrumentField, 'date'>> = {
  tradeDate: 'date',
  settleDate: 'date',
  expiry: 'date',
};
const DECIMAL_FIELDS = new Set([
  'quantity',
  'price',
  'amount',
  'ratio',
  'fees',
  'fxRate',
  'multiplier',
  'strike',
]);

type Values = Partial<Record<TradeFormField | InstrumentField, string>>;
const today = () => new Date().toISOString().slice(0, 10);
const emptyValues = (currency: string): Values => ({ currency, tradeDate: today(), assetClass: 'EQUITY' });

const valuesOfTrade = (trade: Trade): Values => {
  const values: Values = {};
  for (const field of Object.keys(LABELS) as (TradeFormField | InstrumentField)[]) {
    const own = (trade as Record<string, unknown>)[field];
    const ofInstrument = (trade.instrument as Record<string, unknown> | undefined)?.[field];
    const value = own ?? ofInstrument;
    if (typeof value === 'string') values[field] = value;
  }
  return values;
};

const instrumentOf = (values: Values) => () => {
  const assetClass = values.assetClass ?? 'EQUITY';
  const instrument: Record<string, string> = {
    assetClass,
    symbol: (values.symbol ?? '').trim(),
    currency: (values.currency ?? '').trim(),
  };
  for (const field of INSTRUMENT_FIELDS_BY_CLASS[assetClass] ?? []) {
    const value = values[field]?.trim();
    if (value) instrument[field] = value;
  }
  return instrument;
};

/** Booking and amending: the fields of the chosen type only, the API's messages next to their fields. */
const TradeForm = (props: {
  api: Api;
  portfolio: Portfolio;
  editing: Trade | undefined;
  onSaved: (trade: Trade) => void;
  onCancelEdit: () => void;
}) => {
  const { editing } = props;
  const [type, setType] = useState<TradeType>(editing?.type ?? 'BUY');
  const [values, setValues] = useState<Values>(() =>
    editing === undefined ? emptyValues(props.portfolio.baseCurrency) : valuesOfTrade(editing),
  );
  const [errors, setErrors] = useState<FormErrors | undefined>();
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState(false);
  const specs = fieldsForTradeType(type);
  const set = (field: TradeFormField | InstrumentField) => (event: Event) =>
    setValues((current) => ({ ...current, [field]: (event.target as HTMLInputElement).value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setConflict(false);
    const symbol = values.symbol?.trim();
    const body = tradeBodyFromForm(type, { ...values, instrument: symbol }, instrumentOf(values));
    try {
      const saved =
        editing === undefined
          ? await props.api.request<Trade>('POST', `/portfolios/${props.portfolio.portfolioId}/trades`, body)
          : await props.api.request<Trade>(
              'PUT',
              `/portfolios/${props.portfolio.portfolioId}/trades/${editing.tradeId}`,
              { ...body, version: editing.version },
            );
      setErrors(undefined);
      if (editing === undefined)
        setValues((current) => ({ ...emptyValues(current.currency ?? ''), tradeDate: current.tradeDate }));
      props.onSaved(saved);
    } catch (error: unknown) {
      const found =
        error instanceof ApiError
          ? formErrors(error.status, error.body, [...specs.map((spec) => spec.field), 'type'])
          : { fields: {}, general: ['The API cannot be reached.'] };
      setConflict(error instanceof ApiError && error.status === 409);
      setErrors(found);
    } finally {
      setBusy(false);
    }
  };

  const input = (field: TradeFormField | InstrumentField, required: boolean, errorField: string = field) => {
    const messages = errors?.fields[errorField];
    const id = `trade-${field}`;
    return (
      <label key={field} htmlFor={id} class={DECIMAL_FIELDS.has(field) ? 'decimal' : undefined}>
        {LABELS[field]}
        {!required && <span class="muted small"> (optional)</span>}
        {field === 'putCall' ? (
          <select id={id} name={field} value={values[field] ?? ''} onChange={set(field)}>
            <option value="">—</option>
            <option value="C">Call</option>
            <option value="P">Put</option>
          </select>
        ) : (
          <input
            id={id}
            name={field}
            // preact's typings narrow `type` to one literal per element; the value is 'date' or 'text'
            type={(INPUT_TYPE[field] ?? 'text') as 'text'}
            inputMode={DECIMAL_FIELDS.has(field) ? 'decimal' : undefined}
            required={required}
            maxLength={field === 'note' ? 500 : 64}
            value={values[field] ?? ''}
            aria-invalid={messages !== undefined}
            aria-describedby={messages === undefined ? undefined : `${id}-error`}
            onInput={set(field)}
          />
        )}
        {messages !== undefined && (
          <span class="field-error" id={`${id}-error`}>
            {messages.join(' · ')}
          </span>
        )}
      </label>
    );
  };

  const assetClass = values.assetClass ?? 'EQUITY';
  return (
    <form
      class="card form-grid"
      onSubmit={submit}
      aria-labelledby="trade-form-title"
      data-testid="trade-form"
    >
      <h2 id="trade-form-title">
        {editing === undefined ? 'Book a trade' : `Amend trade (version ${editing.version})`}
      </h2>
      <label>
        Type
        <select
          name="type"
          value={type}
          disabled={editing !== undefined}
          onChange={(event) => setType((event.target as HTMLSelectElement).value as TradeType)}
        >
          {TRADE_FORM_TYPES.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      </label>
      {specs.map(({ field, required }) =>
        field === 'instrument' ? (
          <fieldset key="instrument" class="instrument">
            <legend>Instrument{!required && <span class="muted small"> (optional)</span>}</legend>
            <label>
              Asset class
              <select name="assetClass" value={assetClass} onChange={set('assetClass')}>
                {ASSET_CLASSES.map((option) => (
                  <option key={option}>{option}</option>
                ))}
              </select>
            </label>
            {input('symbol', required, 'instrument')}
            {(INSTRUMENT_FIELDS_BY_CLASS[assetClass] ?? []).map((sub) => input(sub, false, 'instrument'))}
          </fieldset>
        ) : (
          input(field, required)
        ),
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {editing === undefined ? 'Book trade' : 'Save amendment'}
        </button>
        {editing !== undefined && (
          <button type="button" class="ghost" onClick={props.onCancelEdit}>
            Discard changes
          </button>
        )}
      </div>
      {errors?.general.map((message) => (
        <p key={message} class="error" role="alert">
          {message}
        </p>
      ))}
      {conflict && editing !== undefined && (
        <button type="button" onClick={props.onCancelEdit}>
          Reload the trade list
        </button>
      )}
    </form>
  );
};

interface Filters {
  from: string;
  to: string;
  symbol: string;
  type: string;
}

export const Trades = (props: { api: Api; portfolio: Portfolio }) => {
  const { api, portfolio } = props;
  const [filters, setFilters] = useState<Filters>({ from: '', to: '', symbol: '', type: '' });
  const [applied, setApplied] = useState<Filters>(filters);
  const [trades, setTrades] = useState<Trade[] | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [editing, setEditing] = useState<Trade | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const load = useCallback(
    async (after: string | null) => {
      try {
        const page = await api.request<Page<Trade>>(
          'GET',
          `/portfolios/${portfolio.portfolioId}/trades${query({ ...applied, limit: '50', cursor: after ?? undefined })}`,
        );
        setTrades((current) => (after === null ? page.items : [...(current ?? []), ...page.items]));
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (caught: unknown) {
        setError(caught instanceof ApiError ? caught.message : 'The API cannot be reached.');
      }
    },
    [api, portfolio.portfolioId, applied],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  const cancelTrade = async (trade: Trade) => {
    if (
      !confirm(
        `Cancel ${trade.type} ${trade.instrument?.symbol ?? ''} of ${trade.tradeDate}? It stays in the history as CANCELLED.`,
      )
    )
      return;
    try {
      await api.request<Trade>('DELETE', `/portfolios/${portfolio.portfolioId}/trades/${trade.tradeId}`);
      setNotice(`Trade of ${trade.tradeDate} cancelled.`);
      await load(null);
    } catch (caught: unknown) {
      setError(caught instanceof ApiError ? caught.message : 'The API cannot be reached.');
    }
  };

  const setFilter = (name: keyof Filters) => (event: Event) =>
    setFilters((current) => ({ ...current, [name]: (event.target as HTMLInputElement).value }));

  return (
    <section aria-labelledby="trades-title">
      <h1 id="trades-title">Trades · {portfolio.name}</h1>
      <TradeForm
        key={editing?.tradeId ?? 'new'}
        api={api}
        portfolio={portfolio}
        editing={editing}
        onSaved={(trade) => {
          setNotice(`${trade.type} of ${trade.tradeDate} saved (version ${trade.version}).`);
          setEditing(undefined);
          void load(null);
        }}
        onCancelEdit={() => {
          setEditing(undefined);
          void load(null);
        }}
      />
      {notice !== undefined && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form
        class="filters"
        aria-label="Filter trades"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(filters);
        }}
      >
        <label>
          From
          <input type="date" name="from" value={filters.from} onInput={setFilter('from')} />
        </label>
        <label>
          To
          <input type="date" name="to" value={filters.to} onInput={setFilter('to')} />
        </label>
        <label>
          Symbol
          <input name="symbol" maxLength={64} value={filters.symbol} onInput={setFilter('symbol')} />
        </label>
        <label>
          Type
          <select name="type" value={filters.type} onChange={setFilter('type')}>
            <option value="">Any</option>
            {TRADE_FORM_TYPES.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        </label>
        <button type="submit">Apply filters</button>
      </form>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="table-scroll card">
        <table data-testid="trades-table">
          <caption class="visually-hidden">Trades</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Type</th>
              <th scope="col">Instrument</th>
              <th scope="col" class="num">
                Quantity
              </th>
              <th scope="col" class="num">
                Price
              </th>
              <th scope="col" class="num">
                Amount
              </th>
              <th scope="col" class="num">
                Fees
              </th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {trades?.length === 0 && (
              <tr>
                <td colSpan={9} class="muted">
                  No trades match.
                </td>
              </tr>
            )}
            {trades?.map((trade) => (
              <tr key={trade.tradeId} class={trade.status === 'CANCELLED' ? 'cancelled' : undefined}>
                <td>{trade.tradeDate}</td>
                <td>{trade.type}</td>
                <td>{trade.instrument?.symbol ?? ''}</td>
                <td class="num">{trade.quantity === undefined ? '' : <Quantity value={trade.quantity} />}</td>
                <td class="num">
                  {trade.price === undefined ? '' : <Money value={trade.price} currency={trade.currency} />}
                </td>
                <td class="num">
                  {trade.amount === undefined ? '' : <Money value={trade.amount} currency={trade.currency} />}
                </td>
                <td class="num">
                  {trade.fees === undefined ? '' : <Money value={trade.fees} currency={trade.currency} />}
                </td>
                <td>
                  {trade.status} · v{trade.version}
                </td>
                <td class="row-actions">
                  {trade.status === 'ACTIVE' && (
                    <>
                      <button type="button" class="ghost" onClick={() => setEditing(trade)}>
                        Amend<span class="visually-hidden"> trade of {trade.tradeDate}</span>
                      </button>
                      <button type="button" class="ghost danger" onClick={() => void cancelTrade(trade)}>
                        Cancel<span class="visually-hidden"> trade of {trade.tradeDate}</span>
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {cursor !== null && (
        <button type="button" onClick={() => void load(cursor)}>
          Load more trades
        </button>
      )}
    </section>
  );
};
