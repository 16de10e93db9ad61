import { mean } from '../matrix';
import { type Classifier, classCounts, type Regressor } from './types';

/** Predicts the training mean (scikit-learn DummyRegressor, strategy "mean"). */
export const dummyRegressor = (): Regressor => ({
  fit(_x, y) {
    const value = mean(y);
    return { predict: (x) => new Float64Array(x.rows).fill(value) };
  },
});

/** Answers the training class frequencies for every row, so predicts the most frequent class (DummyClassifier "prior"). */
export const dummyClassifier = (): Classifier => ({
  fit(_x, y, classes) {
    const priors = classCounts(y, classes).map((count) => count / y.length);
    return {
      predictProba(x) {
        const data = new Float64Array(x.rows * classes);
        for (let r = 0; r < x.rows; r++) data.set(priors, r * classes);
        return { rows: x.rows, cols: classes, data };
      },
    };
  },
});
