import * as lotEngine from '@kupala/lot-engine';
import type { Trade } from '@kupala/trade-model';
import { buildEodSnapshots, businessDays, type EodMarket, previousBusinessDay } from './eod';

// 2026-01-05 is a Monday; 2026-01-10/11 a weekend.
let sequence = 0;
const trade = (fields: Partial<Trade> & Pick<Trade, 'type' | 'tradeDate' | 'currency'>): Trade => {
  sequence += 1;
  return {
    tradeId: `01JTRADE${String(sequence).padStart(18, '0')}`,
    portfolioId: '01JPORTFOLIO00000000000000',
    status: 'ACTIVE',
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  } as Trade;
};
const AAPL = { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' } as const;

/** Closes by symbol and rates to USD by currency, each a by-date table; lookups take the last on or before. */
const market = (
  closes: Record<string, Record<string, string>>,
  rates: Record<string, Record<string, string>> = {},
): EodMarket => {
  const lastOnOrBefore = (table: Record<string, string> | undefined, date: string) => {
    const day = Object.keys(table ?? {})
      .filter((candidate) => candidate <= date)
      .sort()
      .at(-1);
    return day === undefined ? undefined : { date: day, value: table?.[day] as string };
  };
  return {
    closeOn: (symbol, _currency, date) => {
      const found = lastOnOrBefore(closes[symbol], date);
      return found === undefined ? undefined : { close: found.value, date: found.date };
    },
    fx: (from, to, date) =>
      from === to ? '1' : to === 'USD' ? lastOnOrBefore(rates[from], date)?.value : undefined,
  };
};

const base = { baseCurrency: 'USD', lotMethod: 'FIFO' as const };
const figures = (snapshots: ReturnType<typeof buildEodSnapshots>) =>
  snapshots.map(({ date, netLiquidation, netFlows, dailyReturn }) => ({
    date,
    netLiquidation,
    netFlows,
    dailyReturn,
  }));

describe('business days', () => {
  it('skips weekends', () => {
    expect(businessDays('2026-01-09', '2026-01-12')).toEqual(['2026-01-09', '2026-01-12']);
    expect(previousBusinessDay('2026-01-12')).toBe('2026-01-09');
    expect(previousBusinessDay('2026-01-06')).toBe('2026-01-05');
  });
});

describe('EOD snapshots of a USD portfolio', () => {
  const trades = [
    trade({ type: 'DEPOSIT', amount: '10000', currency: 'USD', tradeDate: '2026-01-05' }),
    trade({
      type: 'BUY',
      instrument: AAPL,
      quantity: '10',
      price: '100',
      currency: 'USD',
      tradeDate: '2026-01-05',
    }),
    // a Saturday deposit is a flow at the start of Monday
    trade({ type: 'DEPOSIT', amount: '1000', currency: 'USD', tradeDate: '2026-01-10' }),
    trade({
      type: 'SELL',
      instrument: AAPL,
      quantity: '10',
      price: '105',
      currency: 'USD',
      tradeDate: '2026-01-13',
    }),
  ];
  // no close on 01-07 (a holiday): the 01-06 close is the last on or before it
  const closes = market({
    AAPL: {
      '2026-01-05': '102',
      '2026-01-06': '99',
      '2026-01-08': '99',
      '2026-01-12': '101',
      '2026-01-13': '105',
    },
  });

  it('values each business day at its close, with flows at the start of the day and the daily return', () => {
    const snapshots = buildEodSnapshots(lotEngine, {
      ...base,
      trades,
      from: '2000-01-01',
      to: '2026-01-13',
      market: closes,
    });
    expect(figures(snapshots)).toEqual([
      // the business day before the first trade: nothing yet (so the first trading day has a return)
      { date: '2026-01-02', netLiquidation: '0', netFlows: '0', dailyReturn: null },
      // cash 10000 − 1000 = 9000, AAPL 10 × 102 = 1020: V = 10020, F = 10000, r = 10020 / (0 + 10000) − 1
      { date: '2026-01-05', netLiquidation: '10020', netFlows: '10000', dailyReturn: '0.002' },
      // 9000 + 10 × 99 = 9990; r = 9990 / 10020 − 1 = −0.00299401197604790419… (rounded half-even at 20 places)
      { date: '2026-01-06', netLiquidation: '9990', netFlows: '0', dailyReturn: '-0.00299401197604790419' },
      { date: '2026-01-07', netLiquidation: '9990', netFlows: '0', dailyReturn: '0' },
      { date: '2026-01-08', netLiquidation: '9990', netFlows: '0', dailyReturn: '0' },
      { date: '2026-01-09', netLiquidation: '9990', netFlows: '0', dailyReturn: '0' },
      // cash 10000 + AAPL 1010 = 11010; F = 1000; r = 11010 / (9990 + 1000) − 1 = 20 / 10990 = 0.00181983621474067334…
      {
        date: '2026-01-12',
        netLiquidation: '11010',
        netFlows: '1000',
        dailyReturn: '0.00181983621474067334',
      },
      // sold at 105: cash 10000 + 1050 = 11050; r = 11050 / 11010 − 1 = 40 / 11010 = 0.00363306085376930063…
      { date: '2026-01-13', netLiquidation: '11050', netFlows: '0', dailyReturn: '0.00363306085376930064' },
    ]);
    const closedDay = snapshots.at(-1);
    // a closed position is not listed; its realized P&L (1050 − 1000) is aggregated
    expect(closedDay?.positions).toEqual([]);
    expect(closedDay?.closedRealizedPnlBase).toBe('50');
    expect(snapshots[2]?.positions).toEqual([
      {
        instrumentKey: 'EQUITY:AAPL:USD',
        quantity: '10',
        price: '99',
        priceDate: '2026-01-06',
        marketValueBase: '990',
        costBasisBase: '1000',
        realizedPnlBase: '0',
      },
    ]);
  });

  it('a range computes the return of its first day from the day before, and nothing outside it', () => {
    const snapshots = buildEodSnapshots(lotEngine, {
      ...base,
      trades,
      from: '2026-01-06',
      to: '2026-01-07',
      market: closes,
    });
    expect(figures(snapshots).map(({ date, dailyReturn }) => [date, dailyReturn])).toEqual([
      ['2026-01-06', '-0.00299401197604790419'],
      ['2026-01-07', '0'],
    ]);
  });

  it('a cancelled trade counts as never booked, and a range before the first trade holds nothing', () => {
    const cancelled = trades.map((t) => (t.type === 'SELL' ? { ...t, status: 'CANCELLED' as const } : t));
    const [last] = buildEodSnapshots(lotEngine, {
      ...base,
      trades: cancelled,
      from: '2026-01-13',
      to: '2026-01-13',
      market: closes,
    });
    // still holding 10 × 105 + cash 10000 = 11050 (the same value, but as a position)
    expect(last?.positions.map((p) => p.quantity)).toEqual(['10']);
    expect(
      buildEodSnapshots(lotEngine, { ...base, trades, from: '2025-01-01', to: '2025-12-31', market: closes }),
    ).toEqual([]);
  });
});

describe('EOD snapshots with a foreign currency and a missing price', () => {
  it('converts cash at the rate of each day', () => {
    const trades = [trade({ type: 'DEPOSIT', amount: '1000', currency: 'EUR', tradeDate: '2026-01-05' })];
    const snapshots = buildEodSnapshots(lotEngine, {
      ...base,
      trades,
      from: '2026-01-05',
      to: '2026-01-06',
      market: market({}, { EUR: { '2026-01-05': '1.1', '2026-01-06': '1.2' } }),
    });
    // 01-05: V = 1000 × 1.1 = 1100, F = 1100 (the deposit at its date's rate), r = 1100 / 1100 − 1 = 0
    // 01-06: V = 1200, r = 1200 / 1100 − 1 = 0.09090909090909090909…
    expect(figures(snapshots)).toEqual([
      { date: '2026-01-05', netLiquidation: '1100', netFlows: '1100', dailyReturn: '0' },
      { date: '2026-01-06', netLiquidation: '1200', netFlows: '0', dailyReturn: '0.09090909090909090909' },
    ]);
  });

  it('a position without any close leaves the value and the return null, and says why', () => {
    const trades = [
      trade({ type: 'DEPOSIT', amount: '100', currency: 'USD', tradeDate: '2026-01-05' }),
      trade({
        type: 'BUY',
        instrument: AAPL,
        quantity: '1',
        price: '50',
        currency: 'USD',
        tradeDate: '2026-01-06',
      }),
    ];
    const snapshots = buildEodSnapshots(lotEngine, {
      ...base,
      trades,
      from: '2026-01-05',
      to: '2026-01-06',
      market: market({}),
    });
    expect(snapshots.map((s) => [s.date, s.netLiquidation, s.dailyReturn, s.missing])).toEqual([
      ['2026-01-05', '100', '0', []],
      ['2026-01-06', null, null, ['EQUITY:AAPL:USD']],
    ]);
  });
});
