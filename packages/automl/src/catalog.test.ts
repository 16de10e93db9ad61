import { TASK_MODELS } from './catalog';
import { MODEL_FAMILIES } from './families';

describe('the lab catalog (plain data the web client lists)', () => {
  it('names, per task, exactly the families whose learner the engine has for it', () => {
    expect(TASK_MODELS.regression).toEqual(
      MODEL_FAMILIES.filter((family) => family.regressor !== undefined).map((family) => family.id),
    );
    expect(TASK_MODELS.classification).toEqual(
      MODEL_FAMILIES.filter((family) => family.classifier !== undefined).map((family) => family.id),
    );
  });
});
