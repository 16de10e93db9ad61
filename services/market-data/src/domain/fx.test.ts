import { chooseRate } from './fx';

const candidate = (date: string, rate: string, manual: boolean, inverse: boolean) => ({
  date,
  rate,
  source: manual ? 'manual' : 'yahoo',
  manual,
  inverse,
});

describe('choosing an FX rate', () => {
  it('derives the inverse pair as 1 / rate to 12 places', () => {
    // 1 / 1.08 = 0.925925925925925… → 0.925925925926 (12 places, half-even)
    expect(chooseRate([candidate('2026-03-02', '1.08', false, true)])).toEqual({
      date: '2026-03-02',
      rate: '0.925925925926',
      source: 'yahoo',
    });
    // 1 / 0.8 = 1.25 exactly: no padding
    expect(chooseRate([candidate('2026-03-02', '0.8', false, true)])?.rate).toBe('1.25');
  });

  it('takes the latest date first, then manual over feed, then the pair over its inverse', () => {
    const feedNewer = candidate('2026-03-03', '1.10', false, false);
    const manualOlder = candidate('2026-03-02', '1.05', true, false);
    expect(chooseRate([manualOlder, feedNewer])).toMatchObject({ date: '2026-03-03', rate: '1.1' });
    const manualSameDay = candidate('2026-03-03', '1.09', true, true);
    // manual inverse 1 / 1.09 = 0.917431192660550… → 0.917431192661 beats the feed's own pair of the same date
    expect(chooseRate([feedNewer, manualSameDay])).toEqual({
      date: '2026-03-03',
      rate: '0.917431192661',
      source: 'manual',
    });
    const feedInverse = candidate('2026-03-03', '0.5', false, true);
    expect(chooseRate([feedInverse, feedNewer])).toMatchObject({ rate: '1.1' });
    expect(chooseRate([undefined, undefined])).toBeUndefined();
  });
});
