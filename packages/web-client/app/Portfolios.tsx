import { useState } from 'preact/hooks';
import { formErrors } from '../src/api-errors';
import { type Api, ApiError } from './api';
import type { Portfolio } from './types';

const LOT_METHODS = ['FIFO', 'LIFO', 'HIFO', 'AVERAGE'] as const;

export const Portfolios = (props: {
  api: Api;
  portfolios: Portfolio[] | undefined;
  missing: boolean;
  onCreated: (portfolio: Portfolio) => Promise<void>;
}) => {
  const [name, setName] = useState('');
  const [baseCurrency, setBaseCurrency] = useState('USD');
  const [lotMethod, setLotMethod] = useState<string>('FIFO');
  const [errors, setErrors] = useState<ReturnType<typeof formErrors> | undefined>();
  const [busy, setBusy] = useState(false);

  const create = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const portfolio = await props.api.request<Portfolio>('POST', '/portfolios', {
        name: name.trim(),
        baseCurrency: baseCurrency.trim(),
        lotMethod,
      });
      setErrors(undefined);
      setName('');
      await props.onCreated(portfolio);
    } catch (error: unknown) {
      setErrors(
        error instanceof ApiError
          ? formErrors(error.status, error.body, ['name', 'baseCurrency', 'lotMethod'])
          : { fields: {}, general: ['The API cannot be reached.'] },
      );
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (field: string) =>
    errors?.fields[field]?.map((message) => (
      <span key={message} class="field-error" id={`portfolio-${field}-error`}>
        {message}
      </span>
    ));

  return (
    <section aria-labelledby="portfolios-title">
      <h1 id="portfolios-title">Portfolios</h1>
      {props.missing && (
        <p class="error" role="alert">
          That portfolio does not exist or is not yours.
        </p>
      )}
      {props.portfolios === undefined ? (
        <p class="muted">Loading…</p>
      ) : props.portfolios.length === 0 ? (
        <p class="muted">No portfolio yet: create your first one below.</p>
      ) : (
        <ul class="portfolio-list">
          {props.portfolios.map((portfolio) => (
            <li key={portfolio.portfolioId} class="card">
              <a href={`#/p/${portfolio.portfolioId}/positions`}>{portfolio.name}</a>
              <span class="muted">
                {portfolio.baseCurrency} · {portfolio.lotMethod}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form class="card form-grid" onSubmit={create} aria-labelledby="create-portfolio-title">
        <h2 id="create-portfolio-title">New portfolio</h2>
        <label>
          Name
          <input
            name="name"
            value={name}
            required
            maxLength={100}
            aria-invalid={errors?.fields.name !== undefined}
            onInput={(event) => setName((event.target as HTMLInputElement).value)}
          />
          {fieldError('name')}
        </label>
        <label>
          Base currency
          <input
            name="baseCurrency"
            value={baseCurrency}
            required
            maxLength={3}
            aria-invalid={errors?.fields.baseCurrency !== undefined}
            onInput={(event) => setBaseCurrency((event.target as HTMLInputElement).value)}
          />
          {fieldError('baseCurrency')}
        </label>
        <label>
          Lot method
          <select
            name="lotMethod"
            value={lotMethod}
            onChange={(event) => setLotMethod((event.target as HTMLSelectElement).value)}
          >
            {LOT_METHODS.map((method) => (
              <option key={method}>{method}</option>
            ))}
          </select>
        </label>
        <div class="actions">
          <button type="submit" disabled={busy}>
            Create portfolio
          </button>
        </div>
        {errors?.general.map((message) => (
          <p key={message} class="error" role="alert">
            {message}
          </p>
        ))}
      </form>
    </section>
  );
};
