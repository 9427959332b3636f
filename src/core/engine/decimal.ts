/**
 * Exact decimal arithmetic for points. Scores are kept as integers in millionths of a point,
 * so sums such as 29.83 + 34.87 + 25.3 are exactly 90, not 89.99999999999999.
 */

export const SCALE = 1_000_000;

/** A point value in millionths. */
export type Micro = number;

export function toMicro(value: number): Micro {
  return Math.round(value * SCALE);
}

export function fromMicro(micro: Micro): number {
  return micro / SCALE;
}

/** Rounds a point value to 3 decimals for reports and JSON. */
export function round3(value: number): number {
  const r = Math.round(value * 1000) / 1000;
  return Object.is(r, -0) ? 0 : r;
}

/** numerator ÷ denominator × 100 as a number rounded to 3 decimals (0 when the denominator is 0). */
export function percentOf(numerator: Micro, denominator: Micro): number {
  if (denominator <= 0) return 0;
  // Integer division in BigInt keeps the result exact before the final rounding.
  const scaled = (BigInt(numerator) * 100_000n * 2n + BigInt(denominator)) / (BigInt(denominator) * 2n);
  return round3(Number(scaled) / 1000);
}

/** True when numerator ÷ denominator × 100 ≥ threshold, decided exactly. */
export function percentAtLeast(numerator: Micro, denominator: Micro, threshold: number): boolean {
  if (denominator <= 0) return false;
  return BigInt(numerator) * 100n * BigInt(SCALE) >= BigInt(toMicro(threshold)) * BigInt(denominator);
}
