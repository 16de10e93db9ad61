import { useEffect, useState } from 'preact/hooks';
import { type FormErrors, formErrors } from '../src/api-errors';
import { type Api, ApiError, query } from './api';
import { Money, Quantity } from './format';
import type { Lot, Page, Portfolio, WhatIfSaleResult } from './types';

const METHODS = ['FIFO', 'LIFO', 'HIFO', 'AVERAGE'] as const;
const ROWS: {
  key: 'realizedGain' | 'proceeds' | 'cost' | 'shortTermGain' | 'longTermGain';
  label: string;
}[] = [
  { key: 'proceeds', label: 'Net proceeds' },
  { key: 'cost', label: 'Cost of the lots closed' },
  { key: 'realizedGain', label: 'Realized gain' },
  { key: 'shortTermGain', label: 'of which short term' },
  { key: 'longTermGain', label: 'of which long term' },
];

/** A position's open lots, and a planned sale priced under every lot method side by side. */
/** A decimal input with its API errors beside it (the text is kept as typed: never through a float). */
const DecimalField = (props: {
  name: string;
  label: string;
  value: string;
  errors: string[] | undefined;
  onInput: (value: string) => void;
}) => (
  <label class="decimal">
    {props.label}
    <input
      name={props.name}
      inputMode="decimal"
      required
      maxLength={40}
      value={props.value}
      aria-invalid={props.errors !== undefined}
      aria-describedby={`what-if-${props.name}-error`}
      onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
    />
    <span class="field-error" id={`what-if-${props.name}-error`}>
      {props.errors?.join(' ')}
    </span>
  </label>
);

export const Lots = (props: { api: Api; portfolio: Portfolio; instrumentKey: string }) => {
  const { api, portfolio, instrumentKey } = props;
  const base = `/portfolios/${portfolio.portfolioId}`;
  const [lots, setLots] = useState<Lot[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [quantity, setQuantity] = useState('');
  const [price, setPrice] = useState('');
  const [result, setResult] = useState<WhatIfSaleResult | undefined>();
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: [] });
  const [busy, setBusy] = useState(false);
  const symbol = instrumentKey.split(':')[1] ?? instrumentKey;

  useEffect(() => {
    let cancelled = false;
    const load = async () => {
      const all: Lot[] = [];
      let cursor: string | undefined;
      do {
        const page: Page<Lot> = await api.request(
          'GET',
          `${base}/positions/${encodeURIComponent(instrumentKey)}/lots${query({ limit: '500', cursor })}`,
        );
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return all;
    };
    load()
      .then((all) => {
        if (!cancelled) setLots(all);
      })
      .catch((caught: unknown) => {
        if (!cancelled) setError(caught instanceof ApiError ? caught.message : 'The API cannot be reached.');
      });
    return () => {
      cancelled = true;
    };
  }, [api, base, instrumentKey]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({ fields: {}, general: [] });
    try {
      setResult(
        await api.request<WhatIfSaleResult>('POST', `${base}/what-if-sale`, {
          instrumentKey,
          quantity,
          price,
        }),
      );
    } catch (caught: unknown) {
      setResult(undefined);
      setErrors(
        caught instanceof ApiError
          ? formErrors(caught.status, caught.body, ['quantity', 'price'])
          : { fields: {}, general: ['The API cannot be reached.'] },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="lots-title">
      <div class="section-head">
        <h1 id="lots-title">{symbol}: open lots</h1>
        <a href={`#/p/${portfolio.portfolioId}/positions`}>Back to positions</a>
      </div>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {lots === undefined ? (
        error === undefined && <p class="muted">Loading lots…</p>
      ) : (
        <div class="table-scroll card">
          <table data-testid="lots-table">
            <caption class="visually-hidden">Open lots of {symbol}, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Opened</th>
                <th scope="col" class="num">
                  Quantity
                </th>
                <th scope="col" class="num">
                  Cost per unit
                </th>
                <th scope="col" class="num">
                  Cost basis
                </th>
              </tr>
            </thead>
            <tbody>
              {lots.length === 0 && (
                <tr>
                  <td colSpan={4} class="muted">
                    No open lot.
                  </td>
                </tr>
              )}
              {lots.map((lot, index) => (
                <tr key={`${lot.openDate}-${index}`}>
                  <td>{lot.openDate}</td>
                  <td class="num">
                    <Quantity value={lot.quantity} />
                  </td>
                  <td class="num">
                    <Money value={lot.costPerUnit} currency={result?.currency ?? ''} />
                  </td>
                  <td class="num">
                    <Money value={lot.costBasis} currency={result?.currency ?? ''} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        class="card form-grid"
        onSubmit={submit}
        data-testid="what-if-form"
        aria-labelledby="what-if-title"
      >
        <h2 id="what-if-title">What if I sold?</h2>
        <DecimalField
          name="quantity"
          label="Quantity to sell"
          value={quantity}
          errors={errors.fields.quantity}
          onInput={setQuantity}
        />
        <DecimalField
          name="price"
          label="Sale price"
          value={price}
          errors={errors.fields.price}
          onInput={setPrice}
        />
        <div class="actions">
          <button type="submit" disabled={busy}>
            Compare lot methods
          </button>
        </div>
        {errors.general.length > 0 && (
          <p class="error" role="alert">
            {errors.general.join(' ')}
          </p>
        )}
      </form>
      {result !== undefined && (
        <div class="table-scroll card">
          <table data-testid="what-if-table">
            <caption>
              Selling <Quantity value={result.quantity} /> at{' '}
              <Money value={result.price} currency={result.currency} /> on {result.date} (this portfolio uses{' '}
              {result.lotMethod})
            </caption>
            <thead>
              <tr>
                <th scope="col">Lot method</th>
                {METHODS.map((method) => (
                  <th
                    key={method}
                    scope="col"
                    class="num"
                    aria-current={method === result.lotMethod ? 'true' : undefined}
                  >
                    {method}
                    {method === result.lotMethod && <span class="badge">yours</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {ROWS.map(({ key, label }) => (
                <tr key={key} data-row={key}>
                  <th scope="row">{label}</th>
                  {METHODS.map((method) => (
                    <td key={method} class="num" data-method={method}>
                      <Money
                        value={result.methods[method][key]}
                        currency={result.currency}
                        pnl={key !== 'proceeds' && key !== 'cost'}
                      />
                    </td>
                  ))}
                </tr>
              ))}
              <tr data-row="lotsClosed">
                <th scope="row">Lots closed</th>
                {METHODS.map((method) => (
                  <td key={method} class="num" data-method={method}>
                    {result.methods[method].lotsClosed}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};
