import { Decimal } from '@kupala/trade-model';
import { buildSimulatedProvider, SIMULATED_SPLIT_DATE, seedOf } from './simulated-provider';

const range = { from: '2026-03-02', to: '2026-03-08' };

describe('simulated provider', () => {
  it('is deterministic: two instances give the same closes', async () => {
    const first = await buildSimulatedProvider().dailyCloses('AAPL', range);
    const second = await buildSimulatedProvider().dailyCloses('AAPL', range);
    expect(second).toEqual(first);
    // 2026-03-02 is a Monday: five weekday closes, none on the weekend of 03-07 / 03-08
    expect(first.closes.map((close) => close.date)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ]);
    expect(first.currency).toBe('USD');
  });

  it('walks plausibly: positive cent prices, daily moves within 15%', async () => {
    const { closes } = await buildSimulatedProvider().dailyCloses('MSFT', {
      from: '2016-01-01',
      to: '2026-01-01',
    });
    expect(closes.length).toBeGreaterThan(2500);
    for (const [index, close] of closes.entries()) {
      expect(close.close).toMatch(/^\d+\.\d{2}$/);
      expect(Number(close.close)).toBeGreaterThan(0);
      const previous = closes[index - 1];
      if (previous !== undefined) {
        const move = Math.abs(Number(close.close) / Number(previous.close) - 1);
        // a split halves the price once; everything else is a random step of a few percent
        if (close.date !== SIMULATED_SPLIT_DATE) expect(move).toBeLessThan(0.15);
      }
    }
  });

  it('splits 2-for-1 on the known date the symbols whose seed is divisible by 3', async () => {
    const splitting = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'KO', 'PEP', 'IBM'].find(
      (symbol) => seedOf(symbol) % 3 === 0,
    );
    expect(splitting).toBeDefined();
    const history = await buildSimulatedProvider().dailyCloses(splitting ?? '', {
      from: '2024-06-07',
      to: '2024-06-10',
    });
    expect(history.events).toContainEqual({ type: 'SPLIT', date: SIMULATED_SPLIT_DATE, ratio: '2' });
    const [friday, monday] = history.closes;
    // halved, then one ordinary step of at most a few percent
    expect(Number(monday?.close) / Number(friday?.close)).toBeGreaterThan(0.4);
    expect(Number(monday?.close) / Number(friday?.close)).toBeLessThan(0.6);
  });

  it('pays one dividend a quarter for dividend payers, from the 15th of the quarter-end month', async () => {
    const payer = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'KO'].find(
      (symbol) => seedOf(symbol) % 2 === 0,
    );
    const { events } = await buildSimulatedProvider().dailyCloses(payer ?? '', {
      from: '2025-01-01',
      to: '2025-12-31',
    });
    const dividends = events.filter((event) => event.type === 'DIVIDEND');
    expect(dividends.map((event) => event.date.slice(0, 7))).toEqual([
      '2025-03',
      '2025-06',
      '2025-09',
      '2025-12',
    ]);
    for (const dividend of dividends) expect(dividend.date.slice(8) >= '15').toBe(true);
  });

  it('derives FX pairs from one walk per currency, so a pair and its inverse multiply to 1', async () => {
    const provider = buildSimulatedProvider();
    const eurUsd = await provider.dailyCloses('EURUSD=X', range);
    const usdEur = await provider.dailyCloses('USDEUR=X', range);
    expect(eurUsd.currency).toBe('USD');
    const product = new Decimal(eurUsd.closes[0]?.close ?? '0').times(usdEur.closes[0]?.close ?? '0');
    // each rate is rounded to 6 places, so the product is 1 within about 1e-6
    expect(product.minus(1).abs().lt('0.000002')).toBe(true);
    expect(Number(eurUsd.closes[0]?.close)).toBeGreaterThan(0.5);
    expect(Number(eurUsd.closes[0]?.close)).toBeLessThan(2);
  });

  it('does not know CUSIPs, option codes or unknown currencies: NOT_FOUND', async () => {
    const provider = buildSimulatedProvider();
    for (const symbol of ['037833100', 'AAPL261218C00200000', 'XXXUSD=X', 'PRIVATE FUND']) {
      await expect(provider.dailyCloses(symbol, range)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
    }
  });

  it('quotes the previous close at the open, the day close after it, and a point between during the session', async () => {
    const provider = buildSimulatedProvider();
    const { closes } = await provider.dailyCloses('AAPL', { from: '2026-03-02', to: '2026-03-03' });
    const [monday, tuesday] = closes;
    // US session 14:30–21:00 UTC
    const beforeOpen = await provider.quote('AAPL', new Date('2026-03-03T10:00:00.000Z'));
    expect(beforeOpen).toMatchObject({ price: monday?.close, time: '2026-03-02T21:00:00.000Z' });
    const atOpen = await provider.quote('AAPL', new Date('2026-03-03T14:30:00.000Z'));
    expect(atOpen).toMatchObject({ price: monday?.close, previousClose: monday?.close });
    const afterClose = await provider.quote('AAPL', new Date('2026-03-03T22:00:00.000Z'));
    expect(afterClose).toMatchObject({ price: tuesday?.close, time: '2026-03-03T21:00:00.000Z' });
    // half way through the 390-minute session (17:45): the mid-point of the two closes, to the cent
    const midway = await provider.quote('AAPL', new Date('2026-03-03T17:45:00.000Z'));
    const expected = new Decimal(monday?.close ?? '0').plus(tuesday?.close ?? '0').div(2);
    expect(new Decimal(midway.price).minus(expected).abs().lte('0.005')).toBe(true);
  });
});
