/**
 * Limited-memory BFGS for smooth unconstrained minimization, stopping as scipy's L-BFGS-B does when scikit-learn
 * calls it (`gtol` on the largest gradient component, `ftol` on the relative decrease of the value). The line
 * search finds a weak Wolfe step (sufficient decrease 1e-4, curvature 0.9) by doubling and safeguarded quadratic
 * interpolation, so every accepted step has sᵀy > 0 and the memory stays positive definite. Work arrays are
 * allocated once per call, none per iteration.
 */
export interface LbfgsOptions {
  /** Stop when max |gradient_i| <= gtol (scipy's `gtol`, scikit-learn's `tol`). */
  readonly gtol: number;
  /** Stop when (f_old - f_new) / max(|f_old|, |f_new|, 1) <= ftol (scipy's default 2.22e-9). */
  readonly ftol: number;
  readonly maxIterations: number;
  /** Correction pairs kept (scipy's `maxcor`, 10). */
  readonly memory: number;
}

export const SCIPY_LBFGS: Omit<LbfgsOptions, 'gtol' | 'maxIterations'> = {
  ftol: 2.220446049250313e-9,
  memory: 10,
};

/** Writes the gradient at `point` into `gradient` and returns the value there. */
export type Objective = (point: Float64Array, gradient: Float64Array) => number;

export interface LbfgsResult {
  readonly point: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
};

const maxAbs = (a: Float64Array) => {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] as number));
  return max;
};

const SUFFICIENT_DECREASE = 1e-4;
const CURVATURE = 0.9;
const LINE_SEARCH_STEPS = 60;

/** Minimizes `objective` from `start` (not modified). */
export const minimizeLbfgs = (
  objective: Objective,
  start: Float64Array,
  options: LbfgsOptions,
): LbfgsResult => {
  const size = start.length;
  const memory = options.memory;
  let point = Float64Array.from(start);
  let gradient = new Float64Array(size);
  let candidate = new Float64Array(size);
  let candidateGradient = new Float64Array(size);
  const direction = new Float64Array(size);
  const steps = Array.from({ length: memory }, () => new Float64Array(size));
  const changes = Array.from({ length: memory }, () => new Float64Array(size));
  const rho = new Float64Array(memory);
  const alpha = new Float64Array(memory);
  let stored = 0;
  let newest = -1;
  let gamma = 1;
  let value = objective(point, gradient);
  let evaluations = 1;
  let iterations = 0;
  while (iterations < options.maxIterations && maxAbs(gradient) > options.gtol) {
    // two-loop recursion: direction = -H gradient
    direction.set(gradient);
    for (let k = 0; k < stored; k++) {
      const i = (newest - k + memory) % memory;
      const a = (rho[i] as number) * dot(steps[i] as Float64Array, direction);
      alpha[i] = a;
      const change = changes[i] as Float64Array;
      for (let j = 0; j < size; j++) direction[j] = (direction[j] as number) - a * (change[j] as number);
    }
    for (let j = 0; j < size; j++) direction[j] = (direction[j] as number) * gamma;
    for (let k = stored - 1; k >= 0; k--) {
      const i = (newest - k + memory) % memory;
      const b = (rho[i] as number) * dot(changes[i] as Float64Array, direction);
      const step = steps[i] as Float64Array;
      const a = alpha[i] as number;
      for (let j = 0; j < size; j++) direction[j] = (direction[j] as number) + (a - b) * (step[j] as number);
    }
    for (let j = 0; j < size; j++) direction[j] = -(direction[j] as number);
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // not a descent direction (numerical trouble): forget the memory and go down the gradient
      stored = 0;
      for (let j = 0; j < size; j++) direction[j] = -(gradient[j] as number);
      slope = dot(gradient, direction);
    }
    // as L-BFGS-B: the first step (no memory yet) has unit length, later ones start at 1
    let t = stored === 0 ? Math.min(1, 1 / Math.sqrt(dot(direction, direction))) : 1;
    let low = 0;
    let lowValue = value;
    let lowSlope = slope;
    let previousLow = 0;
    let previousLowSlope = slope;
    let high = Number.POSITIVE_INFINITY;
    let highValue = 0;
    let accepted = false;
    let candidateValue = value;
    for (let attempt = 0; attempt < LINE_SEARCH_STEPS; attempt++) {
      for (let j = 0; j < size; j++) candidate[j] = (point[j] as number) + t * (direction[j] as number);
      candidateValue = objective(candidate, candidateGradient);
      evaluations++;
      const candidateSlope = dot(candidateGradient, direction);
      if (!(candidateValue <= value + SUFFICIENT_DECREASE * t * slope)) {
        high = t;
        highValue = candidateValue;
      } else if (candidateSlope < CURVATURE * slope) {
        previousLow = low;
        previousLowSlope = lowSlope;
        low = t;
        lowValue = candidateValue;
        lowSlope = candidateSlope;
      } else {
        accepted = true;
        break;
      }
      if (high === Number.POSITIVE_INFINITY) {
        // still going down steeply: jump to where the slope, linear between the last two points, reaches 0
        const slopeChange = (lowSlope - previousLowSlope) / (low - previousLow);
        t = slopeChange > 0 ? low - lowSlope / slopeChange : 4 * low;
        t = Math.min(Math.max(t, 1.1 * low), 100 * low);
      } else {
        // minimum of the quadratic through (low, lowValue) with slope lowSlope and (high, highValue), kept inside
        const width = high - low;
        const curvature = highValue - lowValue - lowSlope * width;
        const trial = curvature > 0 ? low - (lowSlope * width * width) / (2 * curvature) : low + width / 2;
        t = Math.min(Math.max(trial, low + 0.1 * width), high - 0.1 * width);
      }
    }
    if (!accepted) {
      // no Wolfe step found: keep a step that at least decreased the value, then stop
      if (low > 0 && lowValue < value) {
        for (let j = 0; j < size; j++) point[j] = (point[j] as number) + low * (direction[j] as number);
        value = objective(point, gradient);
        evaluations++;
      }
      break;
    }
    iterations++;
    newest = (newest + 1) % memory;
    const step = steps[newest] as Float64Array;
    const change = changes[newest] as Float64Array;
    for (let j = 0; j < size; j++) {
      step[j] = (candidate[j] as number) - (point[j] as number);
      change[j] = (candidateGradient[j] as number) - (gradient[j] as number);
    }
    const sy = dot(step, change);
    const yy = dot(change, change);
    if (sy > Number.EPSILON * yy) {
      rho[newest] = 1 / sy;
      gamma = sy / yy;
      stored = Math.min(stored + 1, memory);
    } else newest = (newest - 1 + memory) % memory;
    [point, candidate] = [candidate, point];
    [gradient, candidateGradient] = [candidateGradient, gradient];
    const previous = value;
    value = candidateValue;
    if ((previous - value) / Math.max(Math.abs(previous), Math.abs(value), 1) <= options.ftol) break;
  }
  return { point, value, iterations, evaluations };
};
