const MAX = Number.MAX_SAFE_INTEGER;

/** The remainder of the last `divmod`. */
export let remainder = 0;
const DIVMOD_MAX_DIVISOR = 2 ** 52;

/**
 * trunc(n / d) for a safe integer n and 0 < d, setting `remainder` = n − d × quotient (n's sign, |r| < d),
 * exactly. A double division and a multiply instead of `%` (a C call in V8): n / d rounded is at most one off
 * the true quotient (its error is below one unit when |n / d| < 2^53), and q × d and n − q × d are exact while
 * q × d is safe and d <= 2^52; the one-step adjustment fixes the quotient. Otherwise it falls back to `%`.
 */
export const divmod = (n: number, d: number): number => {
  let q = Math.trunc(n / d);
  const qd = q * d;
  if (d > DIVMOD_MAX_DIVISOR || qd > MAX || qd < -MAX) {
    remainder = (n % d) + 0; // never -0 (canonical)
    return (n - remainder) / d + 0;
  }
  let r = n - qd;
  if (n >= 0) {
    if (r < 0) {
      q -= 1;
      r += d;
    } else if (r >= d) {
      q += 1;
      r -= d;
    }
  } else if (r > 0) {
    q += 1;
    r -= d;
  } else if (r <= -d) {
    q -= 1;
    r += d;
  }
  remainder = r + 0;
  return q + 0;
};
