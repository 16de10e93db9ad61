import { MODEL_IDS } from '@kupala/automl';
import { ANALYSIS_MODELS } from '@kupala/trade-model';

// The contract cannot import the engine (trade-model is the bottom layer): this keeps its list the engine's.
it('the contract offers exactly the model families the engine has', () => {
  expect([...ANALYSIS_MODELS]).toEqual([...MODEL_IDS]);
});
