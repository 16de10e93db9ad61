import {
  barChart,
  bytesToBase64,
  formatMetric,
  higherIsBetter,
  type LeaderboardRow,
  latestProgress,
  progressPercent,
  type RunProgress,
  sortLeaderboard,
  TASK_METRICS,
} from './leaderboard';

const row = (model: string, metrics: Record<string, number | null>): LeaderboardRow => ({
  model,
  name: model.toUpperCase(),
  metrics,
  fitSeconds: 0.1,
});

const REGRESSION = [
  row('lr', { R2: 0.5, RMSE: 2 }),
  row('dt', { R2: -0.25, RMSE: 3 }),
  row('hgb', { R2: 0.75, RMSE: 1.5 }),
  row('knn', { R2: null, RMSE: null }),
  row('dummy', { R2: 0.5, RMSE: 2.5 }),
];

describe('metric columns and direction', () => {
  it("are PyCaret's, errors better low and scores better high", () => {
    expect(TASK_METRICS.regression).toEqual(['MAE', 'MSE', 'RMSE', 'R2', 'RMSLE', 'MAPE']);
    expect(TASK_METRICS.classification).toEqual([
      'Accuracy',
      'AUC',
      'Recall',
      'Precision',
      'F1',
      'Kappa',
      'MCC',
    ]);
    expect(TASK_METRICS.regression.filter(higherIsBetter)).toEqual(['R2']);
    expect(TASK_METRICS.classification.every(higherIsBetter)).toBe(true);
  });
});

describe('sortLeaderboard', () => {
  it('puts the highest score first, a missing metric last, ties in the API order', () => {
    // R2: hgb 0.75 > lr 0.5 = dummy 0.5 (lr came first) > dt −0.25; knn null last
    expect(sortLeaderboard(REGRESSION, 'R2').map((r) => r.model)).toEqual([
      'hgb',
      'lr',
      'dummy',
      'dt',
      'knn',
    ]);
  });

  it('puts the lowest error first', () => {
    // RMSE: hgb 1.5 < lr 2 < dummy 2.5 < dt 3; knn null last
    expect(sortLeaderboard(REGRESSION, 'RMSE').map((r) => r.model)).toEqual([
      'hgb',
      'lr',
      'dummy',
      'dt',
      'knn',
    ]);
    expect(sortLeaderboard(REGRESSION.slice(0, 2), 'RMSE').map((r) => r.model)).toEqual(['lr', 'dt']);
  });

  it('leaves its input alone', () => {
    const before = REGRESSION.map((r) => r.model);
    sortLeaderboard(REGRESSION, 'R2');
    expect(REGRESSION.map((r) => r.model)).toEqual(before);
  });
});

describe('barChart', () => {
  it('draws bars from zero, negatives to the left of it', () => {
    // domain [min(0, −0.25), max(0, 0.75)] = [−0.25, 0.75] onto [0, 400]: 400 units per 1.0 of R2.
    // zero at (0 − (−0.25)) × 400 = 100; 0.5 at 100 + 200 = 300; −0.25 at 0; 0.75 at 400.
    const chart = barChart(REGRESSION, 'R2', { width: 400, barHeight: 20, gap: 4 });
    expect(chart.zeroX).toBe(100);
    expect(chart.bars.map(({ model, x, width, y }) => ({ model, x, width, y }))).toEqual([
      { model: 'lr', x: 100, width: 200, y: 0 },
      { model: 'dt', x: 0, width: 100, y: 24 },
      { model: 'hgb', x: 100, width: 300, y: 48 },
      { model: 'knn', x: 100, width: 0, y: 72 },
      { model: 'dummy', x: 100, width: 200, y: 96 },
    ]);
    // 5 bars of 20 and 4 gaps of 4: 100 + 16 = 116
    expect(chart.height).toBe(116);
  });

  it('starts all-positive metrics at the left edge', () => {
    // RMSE domain [0, 3] onto [0, 300]: 100 units per 1.0; 2 -> 200, 3 -> 300
    const chart = barChart(REGRESSION.slice(0, 2), 'RMSE', { width: 300, barHeight: 10, gap: 2 });
    expect(chart.zeroX).toBe(0);
    expect(chart.bars.map((bar) => [bar.x, bar.width])).toEqual([
      [0, 200],
      [0, 300],
    ]);
    expect(chart.height).toBe(22);
  });

  it('draws nothing wide when every value is zero or missing', () => {
    const chart = barChart([row('dummy', { R2: 0 }), row('knn', { R2: null })], 'R2', {
      width: 300,
      barHeight: 10,
      gap: 2,
    });
    expect(chart.bars.map((bar) => bar.width)).toEqual([0, 0]);
    expect(barChart([], 'R2', { width: 300, barHeight: 10, gap: 2 }).height).toBe(0);
  });
});

describe('progress', () => {
  const at = (
    completed: number,
    total: number,
    updatedAt: string,
    status: RunProgress['status'] = 'RUNNING',
  ) => ({
    status,
    completed,
    total,
    updatedAt,
  });

  it('floors the share of families done, 100 once finished', () => {
    // 2 of 3: 66.67% -> 66
    expect(progressPercent(at(2, 3, 't'))).toBe(66);
    expect(progressPercent(at(0, 0, 't', 'PENDING'))).toBe(0);
    expect(progressPercent(at(1, 3, 't', 'FAILED'))).toBe(100);
    expect(progressPercent(at(3, 3, 't', 'SUCCEEDED'))).toBe(100);
    expect(progressPercent(undefined)).toBe(0);
  });

  it('keeps the newer sighting whichever arrives last', () => {
    const older = at(1, 3, '2026-12-04T10:00:01.000Z');
    const newer = at(2, 3, '2026-12-04T10:00:02.000Z');
    expect(latestProgress(undefined, older)).toBe(older);
    expect(latestProgress(older, newer)).toBe(newer);
    expect(latestProgress(newer, older)).toBe(newer);
  });
});

describe('formatMetric and bytesToBase64', () => {
  it('shows 4 places and a dash for a missing metric', () => {
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(-0.25)).toBe('-0.2500');
    expect(formatMetric(null)).toBe('—');
    expect(formatMetric(Number.NaN)).toBe('—');
  });

  it('encodes bytes as base64, across chunk boundaries too', () => {
    // "Man" = 0x4d 0x61 0x6e -> "TWFu" (RFC 4648's example)
    expect(bytesToBase64(new Uint8Array([0x4d, 0x61, 0x6e]))).toBe('TWFu');
    const big = new Uint8Array(0x8000 + 2).fill(0xff);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });
});
