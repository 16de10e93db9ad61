export * from './automl';
export * from './families';
export * from './folds';
export * from './frame';
export * from './matrix';
export * from './metrics';
export * from './preprocess';
export * from './random';
