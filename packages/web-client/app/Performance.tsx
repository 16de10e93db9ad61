import { useEffect, useState } from 'preact/hooks';
import {
  formatRate,
  HISTORY_RANGES,
  type HistoryRange,
  historyGeometry,
  rangeStart,
} from '../src/history-chart';
import { type Api, ApiError, query } from './api';
import { Money } from './format';
import type { HistoryDay, Page, PerformanceView, Portfolio } from './types';

const WIDTH = 720;
const HEIGHT = 300;
const FIGURES: { key: 'twr' | 'mwr' | 'volatility' | 'maxDrawdown'; label: string }[] = [
  { key: 'twr', label: 'Time-weighted return' },
  { key: 'mwr', label: 'Money-weighted return (annualized)' },
  { key: 'volatility', label: 'Volatility (annualized)' },
  { key: 'maxDrawdown', label: 'Max drawdown' },
];

/** Every page of GET …/history for the range (the series is paginated like every list). */
const loadHistory = async (api: Api, portfolioId: string, from: string | undefined) => {
  const days: HistoryDay[] = [];
  let cursor: string | undefined;
  do {
    const page: Page<HistoryDay> = await api.request(
      'GET',
      `/portfolios/${portfolioId}/history${query({ from, limit: '500', cursor })}`,
    );
    days.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return days;
};

/** Net liquidation over time with its drawdown band, the range's performance figures and a table alternative. */
export const Performance = (props: { api: Api; portfolio: Portfolio }) => {
  const { api, portfolio } = props;
  const [range, setRange] = useState<HistoryRange>('1Y');
  const [days, setDays] = useState<HistoryDay[] | undefined>();
  const [performance, setPerformance] = useState<PerformanceView | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let cancelled = false;
    const from = rangeStart(new Date().toISOString().slice(0, 10), range);
    setDays(undefined);
    Promise.all([
      loadHistory(api, portfolio.portfolioId, from),
      api.request<PerformanceView>(
        'GET',
        `/portfolios/${portfolio.portfolioId}/performance${query({ from })}`,
      ),
    ])
      .then(([series, figures]) => {
        if (cancelled) return;
        setDays(series);
        setPerformance(figures);
        setError(undefined);
      })
      .catch((caught: unknown) => {
        if (!cancelled) setError(caught instanceof ApiError ? caught.message : 'The API cannot be reached.');
      });
    return () => {
      cancelled = true;
    };
  }, [api, portfolio.portfolioId, range]);

  const geometry =
    days === undefined
      ? undefined
      : historyGeometry(days, { width: WIDTH, height: HEIGHT, valueShare: 0.68 });
  const first = days?.[0];
  const last = days?.[days.length - 1];
  const currency = performance?.baseCurrency ?? portfolio.baseCurrency;

  return (
    <section aria-labelledby="performance-title">
      <div class="chart-head">
        <h1 id="performance-title">{portfolio.name}: performance</h1>
        <fieldset class="segmented">
          <legend class="visually-hidden">Range</legend>
          {HISTORY_RANGES.map((value) => (
            <label key={value}>
              <input
                type="radio"
                name="history-range"
                value={value}
                checked={range === value}
                onChange={() => setRange(value)}
              />
              {value === 'ALL' ? 'All' : value}
            </label>
          ))}
        </fieldset>
      </div>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {performance !== undefined && (
        <dl class="totals" data-testid="performance-figures">
          {FIGURES.map(({ key, label }) => {
            const value = performance[key];
            return (
              <div key={key} data-figure={key}>
                <dt>{label}</dt>
                <dd>
                  {value === null ? (
                    <span class="muted">
                      Not available: {performance.reasons[key] ?? 'it cannot be computed for this range'}
                    </span>
                  ) : (
                    <span class={value.startsWith('-') ? 'loss' : ''}>{formatRate(value)}</span>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
      {days === undefined || geometry === undefined ? (
        error === undefined && <p class="muted">Loading history…</p>
      ) : days.length === 0 ? (
        <p class="muted">No end-of-day history in this range yet.</p>
      ) : (
        <div class="card chart">
          <svg
            role="img"
            aria-label={`Net liquidation from ${first?.date} to ${last?.date}: low ${geometry.low ?? '—'}, high ${geometry.high ?? '—'} ${currency}; drawdown band below (max drawdown ${performance?.maxDrawdown == null ? 'not available' : formatRate(performance.maxDrawdown)}). The table below has every day.`}
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            preserveAspectRatio="none"
            class="history"
            data-testid="history-chart"
          >
            <line class="axis" x1="0" x2={WIDTH} y1={geometry.drawdownTop} y2={geometry.drawdownTop} />
            <path class="drawdown" d={geometry.drawdownPath} data-testid="drawdown-path" />
            <path class="value-line" d={geometry.valuePath} data-testid="value-path" />
          </svg>
          <p class="chart-scale muted">
            <span>
              {first?.date} – {last?.date}
            </span>
            <span>
              Low <Money value={geometry.low} currency={currency} /> · High{' '}
              <Money value={geometry.high} currency={currency} />
            </span>
          </p>
          <details>
            <summary>Every day as a table</summary>
            <div class="table-scroll">
              <table data-testid="history-table">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col" class="num">
                      Net liquidation
                    </th>
                    <th scope="col" class="num">
                      Net flows
                    </th>
                    <th scope="col" class="num">
                      Daily return
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {days.map((day) => (
                    <tr key={day.date}>
                      <td>{day.date}</td>
                      <td class="num">
                        <Money value={day.netLiquidation} currency={currency} />
                      </td>
                      <td class="num">
                        <Money value={day.netFlows} currency={currency} />
                      </td>
                      <td class="num">
                        {day.dailyReturn === null ? (
                          <span class="muted">—</span>
                        ) : (
                          formatRate(day.dailyReturn, 4)
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </div>
      )}
    </section>
  );
};
