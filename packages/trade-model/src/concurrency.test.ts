import { mapWithConcurrency } from './concurrency';

describe('mapWithConcurrency', () => {
  it('keeps the items’ order and never has more than `concurrency` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    // later items finish first: 5 ms, 4 ms … so order comes from the index, not from completion
    const results = await mapWithConcurrency([5, 4, 3, 2, 1], 2, async (value) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, value));
      inFlight -= 1;
      return value * 10;
    });
    expect(results).toEqual([50, 40, 30, 20, 10]);
    expect(most).toBe(2);
  });

  it('answers an empty list for no items without calling work', async () => {
    const work = jest.fn(async (value: number) => value);
    expect(await mapWithConcurrency([], 4, work)).toEqual([]);
    expect(work).not.toHaveBeenCalled();
  });
});
