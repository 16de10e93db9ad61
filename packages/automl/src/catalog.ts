/**
 * What the AutoML lab offers, as plain data (no learner, no worker thread): the metric columns per task in
 * PyCaret's order and the families that can learn each task. `@kupala/automl/catalog` lets the web client list
 * them without bundling the engine; families.test.ts checks the table of learners against it.
 */
export const REGRESSION_METRIC_NAMES = ['MAE', 'MSE', 'RMSE', 'R2', 'RMSLE', 'MAPE'] as const;
export const CLASSIFICATION_METRIC_NAMES = [
  'Accuracy',
  'AUC',
  'Recall',
  'Precision',
  'F1',
  'Kappa',
  'MCC',
] as const;

export const TASK_METRICS = {
  regression: REGRESSION_METRIC_NAMES,
  classification: CLASSIFICATION_METRIC_NAMES,
} as const;

/** The families each task can be learnt by (ids of MODEL_FAMILIES, in its order). */
export const TASK_MODELS = {
  regression: ['lr', 'ridge', 'lasso', 'en', 'knn', 'dt', 'rf', 'et', 'hgb', 'dummy'],
  classification: ['logistic', 'lda', 'knn', 'nb', 'dt', 'rf', 'et', 'hgb', 'dummy'],
} as const;
