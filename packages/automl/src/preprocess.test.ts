import type { Frame } from './frame';
import { frameFromCells } from './frame';
import { fitPreprocessor } from './preprocess';

const frame: Frame = frameFromCells(
  [
    { name: 'size', type: 'number' },
    { name: 'colour', type: 'string' },
    { name: 'day', type: 'date' },
  ],
  [
    ['1', 'red', '1970-01-02'],
    ['', 'blue', '1970-01-03'],
    ['3', '', '1970-01-05'],
    ['10', 'red', ''],
    ['100', 'green', '1970-01-01'],
  ],
);

describe('preprocessing fitted on training rows', () => {
  it('imputes the training median and most frequent level, one-hot encodes, and maps dates to day numbers', () => {
    // training rows 0–3: sizes 1, 3, 10 → median 3; colours red, blue, red → red; days 1, 2, 4 → median 2
    const { preprocessor, train } = fitPreprocessor(
      frame,
      [0, 1, 2, 3],
      { task: 'regression', values: Float64Array.of(1, 2, 3, 4) },
      { scale: false },
    );
    expect(preprocessor.featureNames).toEqual(['size', 'colour=blue', 'colour=red', 'day']);
    expect(Array.from(train.data)).toEqual([1, 0, 1, 1, 3, 1, 0, 2, 3, 0, 1, 4, 10, 0, 1, 2]);
    // row 4 has a level never seen in training (green): all its one-hot columns are 0
    expect(Array.from(preprocessor.transform([4]).data)).toEqual([100, 0, 0, 0]);
  });

  it('standardizes with the training rows’ mean and deviation only', () => {
    // sizes of rows 0 and 2: 1 and 3 → mean 2, population deviation 1
    const { preprocessor, train } = fitPreprocessor(
      { rows: 5, columns: [frame.columns[0] as Frame['columns'][number]] },
      [0, 2],
      { task: 'regression', values: Float64Array.of(0, 0) },
      { scale: true },
    );
    expect(Array.from(train.data)).toEqual([-1, 1]);
    expect(Array.from(preprocessor.transform([4]).data)).toEqual([98]);
  });

  it('target encodes a categorical with more levels than the one-hot limit, smoothed towards the mean', () => {
    // levels red (targets 10, 20), blue (30); mean of all targets 20; smoothing 1:
    // red → (30 + 1·20) / (2 + 1) = 50/3; blue → (30 + 20) / 2 = 25; unseen green → the mean 20
    const { preprocessor, train } = fitPreprocessor(
      { rows: 5, columns: [frame.columns[1] as Frame['columns'][number]] },
      [0, 1, 3],
      { task: 'regression', values: Float64Array.of(10, 30, 20) },
      { scale: false, maxOneHotLevels: 1, targetSmoothing: 1 },
    );
    expect(preprocessor.featureNames).toEqual(['colour']);
    expect(Array.from(train.data).map((v) => Number(v.toFixed(9)))).toEqual([
      Number((50 / 3).toFixed(9)),
      25,
      Number((50 / 3).toFixed(9)),
    ]);
    expect(Array.from(preprocessor.transform([4]).data)).toEqual([20]);
  });
});
