import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  type LivePositions,
  livePositions,
  type PositionsPush,
  type PositionsView,
} from '../src/live-positions';
import { AllocationChart } from './AllocationChart';
import type { Live } from './App';
import { type Api, ApiError } from './api';
import { Money, Quantity } from './format';
import { lotsHref } from './links';
import type { Portfolio, Position } from './types';

type View = PositionsView<Position>;

const TOTALS: { key: string; label: string; pnl?: boolean }[] = [
  { key: 'netLiquidation', label: 'Net liquidation' },
  { key: 'marketValue', label: 'Market value' },
  { key: 'costBasis', label: 'Cost basis' },
  { key: 'unrealizedPnl', label: 'Unrealized P&L', pnl: true },
  { key: 'realizedPnl', label: 'Realized P&L', pnl: true },
  { key: 'dayPnl', label: 'Day P&L', pnl: true },
  { key: 'income', label: 'Income' },
];

/** The live table: seeded by GET …/positions, then replaced by every `positions` push of the subscription. */
export const Positions = (props: { api: Api; live: Live; portfolio: Portfolio }) => {
  const { portfolioId } = props.portfolio;
  const state: LivePositions<Position> = useMemo(() => livePositions<Position>(portfolioId), [portfolioId]);
  const [view, setView] = useState<View | undefined>();
  const [error, setError] = useState<string | undefined>();
  const { live, api } = props;

  useEffect(() => {
    const stop = live.listen((message) => {
      if (message.type === 'positions') {
        const next = state.accept(message as unknown as PositionsPush<Position>);
        if (next !== undefined) setView(next);
      } else if (message.type === 'error' && message.portfolioId === portfolioId) {
        setError(String(message.message));
      }
    });
    return stop;
  }, [live.listen, state, portfolioId]);

  // (Re)subscribe whenever the connection opens: the reconnect logic resubscribes too, this covers first load.
  useEffect(() => {
    live.subscribe(portfolioId);
    return () => live.unsubscribe(portfolioId);
  }, [live.subscribe, live.unsubscribe, portfolioId]);

  useEffect(() => {
    let cancelled = false;
    api
      .request<Omit<View, 'portfolioId'>>('GET', `/portfolios/${portfolioId}/positions`)
      .then((body) => {
        if (cancelled) return;
        state.seed({ ...body, portfolioId });
        setView(state.current());
      })
      .catch((caught: unknown) => {
        if (!cancelled) setError(caught instanceof ApiError ? caught.message : 'The API cannot be reached.');
      });
    return () => {
      cancelled = true;
    };
  }, [api, state, portfolioId]);

  const base = view?.baseCurrency ?? props.portfolio.baseCurrency;
  return (
    <section aria-labelledby="positions-title">
      <div class="section-head">
        <h1 id="positions-title">{props.portfolio.name}</h1>
        {view !== undefined && (
          <span class="muted" data-testid="as-of">
            as of <time dateTime={view.asOf}>{view.asOf.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>
          </span>
        )}
      </div>
      {error !== undefined && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {view === undefined ? (
        <p class="muted">Loading positions…</p>
      ) : (
        <>
          <dl class="totals card" aria-label={`Totals in ${base}`}>
            {TOTALS.map(({ key, label, pnl }) => (
              <div key={key} data-testid={`total-${key}`}>
                <dt>{label}</dt>
                <dd class="num">
                  <Money value={view.totals[key]} currency={base} pnl={pnl === true} />
                </dd>
              </div>
            ))}
          </dl>
          <div class="table-scroll card">
            <table class="positions" data-testid="positions-table">
              <caption class="visually-hidden">Open positions</caption>
              <thead>
                <tr>
                  <th scope="col">Instrument</th>
                  <th scope="col" class="num">
                    Quantity
                  </th>
                  <th scope="col" class="num">
                    Avg cost
                  </th>
                  <th scope="col" class="num">
                    Last price
                  </th>
                  <th scope="col" class="num">
                    Market value
                  </th>
                  <th scope="col" class="num">
                    Unrealized
                  </th>
                  <th scope="col" class="num">
                    Realized
                  </th>
                  <th scope="col" class="num">
                    Day P&amp;L
                  </th>
                  <th scope="col" class="num">
                    Value ({base})
                  </th>
                  <th scope="col" class="num">
                    Unrealized ({base})
                  </th>
                  <th scope="col" class="num">
                    Realized ({base})
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.positions.length === 0 && (
                  <tr>
                    <td colSpan={11} class="muted">
                      No open positions.
                    </td>
                  </tr>
                )}
                {view.positions.map((position) => (
                  <tr key={position.instrumentKey} data-symbol={position.instrument.symbol}>
                    <th scope="row">
                      <a
                        href={lotsHref(portfolioId, position.instrumentKey)}
                        title={`Lots of ${position.instrument.symbol} and a what-if sale`}
                      >
                        {position.instrument.symbol}
                      </a>
                      <span class="muted small"> {position.instrument.assetClass}</span>
                    </th>
                    <td class="num" data-col="quantity">
                      <Quantity value={position.quantity} />
                    </td>
                    <td class="num">
                      <Money value={position.averageCost} currency={position.currency} />
                    </td>
                    <td class="num">
                      <Money value={position.lastPrice} currency={position.currency} />
                      {position.stale && (
                        <span
                          class="badge stale"
                          title="The price is older than its market's expected update"
                        >
                          stale
                        </span>
                      )}
                    </td>
                    <td class="num">
                      <Money value={position.marketValue} currency={position.currency} />
                    </td>
                    <td class="num">
                      <Money value={position.unrealizedPnl} currency={position.currency} pnl />
                    </td>
                    <td class="num">
                      <Money value={position.realizedPnl} currency={position.currency} pnl />
                    </td>
                    <td class="num">
                      <Money value={position.dayPnl} currency={position.currency} pnl />
                    </td>
                    <td class="num">
                      <Money value={position.marketValueBase} currency={base} />
                    </td>
                    <td class="num">
                      <Money value={position.unrealizedPnlBase} currency={base} pnl />
                    </td>
                    <td class="num">
                      <Money value={position.realizedPnlBase} currency={base} pnl />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="split">
            <section class="card" aria-labelledby="cash-title">
              <h2 id="cash-title">Cash</h2>
              <table class="cash" data-testid="cash-table">
                <tbody>
                  {view.cash.length === 0 && (
                    <tr>
                      <td class="muted">No cash.</td>
                    </tr>
                  )}
                  {view.cash.map((entry) => (
                    <tr key={entry.currency} data-currency={entry.currency}>
                      <th scope="row">{entry.currency}</th>
                      <td class="num">
                        <Money value={entry.balance} currency={entry.currency} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <AllocationChart positions={view.positions} baseCurrency={base} />
          </div>
        </>
      )}
    </section>
  );
};
