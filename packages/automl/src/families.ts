import { gaussianNaiveBayes, linearDiscriminant } from './learners/discriminant';
import { dummyClassifier, dummyRegressor } from './learners/dummy';
import {
  decisionTreeClassifier,
  decisionTreeRegressor,
  extraTreesClassifier,
  extraTreesRegressor,
  histGradientBoostingClassifier,
  histGradientBoostingRegressor,
  randomForestClassifier,
  randomForestRegressor,
} from './learners/ensembles';
import { ELASTIC_NET_L1_RATIOS, elasticNetCv, linearRegression, ridgeCv } from './learners/linear';
import { logisticRegressionCv } from './learners/logistic';
import { kNeighborsClassifier, kNeighborsRegressor } from './learners/neighbors';
import type { Classifier, Regressor } from './learners/types';

export const MODEL_IDS = [
  'lr',
  'ridge',
  'lasso',
  'en',
  'logistic',
  'lda',
  'knn',
  'nb',
  'dt',
  'rf',
  'et',
  'hgb',
  'dummy',
] as const;
export type ModelId = (typeof MODEL_IDS)[number];
export type Task = 'regression' | 'classification';

/** A model family: how to build its learner for a task, and whether its maths needs standardized features. */
export interface ModelFamily {
  readonly id: ModelId;
  readonly name: { readonly regression?: string; readonly classification?: string };
  readonly scaled: boolean;
  readonly regressor?: () => Regressor;
  readonly classifier?: () => Classifier;
}

export const MODEL_FAMILIES: readonly ModelFamily[] = [
  { id: 'lr', name: { regression: 'Linear Regression' }, scaled: true, regressor: linearRegression },
  { id: 'ridge', name: { regression: 'Ridge Regression' }, scaled: true, regressor: () => ridgeCv() },
  {
    id: 'lasso',
    name: { regression: 'Lasso Regression' },
    scaled: true,
    regressor: () => elasticNetCv({ l1Ratios: [1] }),
  },
  {
    id: 'en',
    name: { regression: 'Elastic Net' },
    scaled: true,
    regressor: () => elasticNetCv({ l1Ratios: ELASTIC_NET_L1_RATIOS }),
  },
  {
    id: 'logistic',
    name: { classification: 'Logistic Regression' },
    scaled: true,
    classifier: () => logisticRegressionCv(),
  },
  {
    id: 'lda',
    name: { classification: 'Linear Discriminant Analysis' },
    scaled: false,
    classifier: linearDiscriminant,
  },
  {
    id: 'knn',
    name: { regression: 'K Neighbors Regressor', classification: 'K Neighbors Classifier' },
    scaled: true,
    regressor: () => kNeighborsRegressor(),
    classifier: () => kNeighborsClassifier(),
  },
  { id: 'nb', name: { classification: 'Naive Bayes' }, scaled: false, classifier: gaussianNaiveBayes },
  {
    id: 'dt',
    name: { regression: 'Decision Tree Regressor', classification: 'Decision Tree Classifier' },
    scaled: false,
    regressor: decisionTreeRegressor,
    classifier: decisionTreeClassifier,
  },
  {
    id: 'rf',
    name: { regression: 'Random Forest Regressor', classification: 'Random Forest Classifier' },
    scaled: false,
    regressor: () => randomForestRegressor(),
    classifier: () => randomForestClassifier(),
  },
  {
    id: 'et',
    name: { regression: 'Extra Trees Regressor', classification: 'Extra Trees Classifier' },
    scaled: false,
    regressor: () => extraTreesRegressor(),
    classifier: () => extraTreesClassifier(),
  },
  {
    id: 'hgb',
    name: {
      regression: 'Histogram Gradient Boosting Regressor',
      classification: 'Histogram Gradient Boosting Classifier',
    },
    scaled: false,
    regressor: () => histGradientBoostingRegressor(),
    classifier: () => histGradientBoostingClassifier(),
  },
  {
    id: 'dummy',
    name: { regression: 'Dummy Regressor', classification: 'Dummy Classifier' },
    scaled: false,
    regressor: dummyRegressor,
    classifier: dummyClassifier,
  },
];

/** The families that can learn a task, in leaderboard-run order (optionally only those `include`d). */
export const familiesFor = (task: Task, include?: readonly ModelId[]): ModelFamily[] =>
  MODEL_FAMILIES.filter(
    (family) =>
      (task === 'regression' ? family.regressor : family.classifier) !== undefined &&
      (include === undefined || include.includes(family.id)),
  );

export const familyById = (id: ModelId): ModelFamily => {
  const family = MODEL_FAMILIES.find((candidate) => candidate.id === id);
  if (!family) throw new RangeError(`unknown model ${id}`);
  return family;
};
