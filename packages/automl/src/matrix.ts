/** A dense row-major matrix of float64: what every learner fits on. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export const denseMatrix = (
  rows: number,
  cols: number,
  data = new Float64Array(rows * cols),
): DenseMatrix => {
  if (data.length !== rows * cols) throw new RangeError(`expected ${rows * cols} values, got ${data.length}`);
  return { rows, cols, data };
};

/** Builds a matrix from nested arrays (tests and small inputs). */
export const fromRows = (rows: readonly (readonly number[])[]): DenseMatrix => {
  const cols = rows[0]?.length ?? 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`row ${i} has ${row.length} values, expected ${cols}`);
    data.set(row, i * cols);
  });
  return { rows: rows.length, cols, data };
};

/** The rows at `indices`, in that order. */
export const takeRows = (matrix: DenseMatrix, indices: ArrayLike<number>): DenseMatrix => {
  const data = new Float64Array(indices.length * matrix.cols);
  for (let i = 0; i < indices.length; i++) {
    const from = (indices[i] as number) * matrix.cols;
    data.set(matrix.data.subarray(from, from + matrix.cols), i * matrix.cols);
  }
  return { rows: indices.length, cols: matrix.cols, data };
};

export const takeValues = <T extends Float64Array | Int32Array>(values: T, indices: ArrayLike<number>): T => {
  const out = new (values.constructor as new (length: number) => T)(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i] as number] as number;
  return out;
};

/** Xᵀ X of a matrix, p × p row-major (the Gram matrix). */
export const gram = (x: DenseMatrix): Float64Array => {
  const { rows, cols, data } = x;
  const out = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let i = 0; i < cols; i++) {
      const xi = data[base + i] as number;
      if (xi === 0) continue;
      const outRow = i * cols;
      for (let j = i; j < cols; j++)
        out[outRow + j] = (out[outRow + j] as number) + xi * (data[base + j] as number);
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) out[i * cols + j] = out[j * cols + i] as number;
  return out;
};

/** Xᵀ v. */
export const transposeTimes = (x: DenseMatrix, v: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) {
    const vr = v[r] as number;
    const base = r * x.cols;
    for (let j = 0; j < x.cols; j++) out[j] = (out[j] as number) + (x.data[base + j] as number) * vr;
  }
  return out;
};

/** X w + b. */
export const linearPredict = (
  x: DenseMatrix,
  weights: ArrayLike<number>,
  intercept: number,
): Float64Array => {
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let sum = intercept;
    const base = r * x.cols;
    for (let j = 0; j < x.cols; j++) sum += (x.data[base + j] as number) * (weights[j] as number);
    out[r] = sum;
  }
  return out;
};

export const columnMeans = (x: DenseMatrix): Float64Array => {
  const means = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++)
    for (let j = 0; j < x.cols; j++) means[j] = (means[j] as number) + (x.data[r * x.cols + j] as number);
  for (let j = 0; j < x.cols; j++) means[j] = (means[j] as number) / Math.max(1, x.rows);
  return means;
};

/** A copy with each column's mean subtracted. */
export const centerColumns = (x: DenseMatrix, means: Float64Array): DenseMatrix => {
  const data = new Float64Array(x.data.length);
  for (let r = 0; r < x.rows; r++)
    for (let j = 0; j < x.cols; j++)
      data[r * x.cols + j] = (x.data[r * x.cols + j] as number) - (means[j] as number);
  return { rows: x.rows, cols: x.cols, data };
};

export const mean = (values: ArrayLike<number>): number => {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return values.length === 0 ? 0 : sum / values.length;
};
