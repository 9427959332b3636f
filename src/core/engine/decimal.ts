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

/**
 * numerator ÷ denominator × 100, cut to 3 decimals (0 when the denominator is 0). Cut, never
 * rounded up: 89,9997 % reads 89,999 %, so the figure shown beside a class never reaches the
 * next threshold the class did not reach.
 */
export function percentOf(numerator: Micro, denominator: Micro): number {
  if (denominator <= 0 || numerator <= 0) return 0;
  // Integer division in BigInt is exact and rounds toward zero.
  const thousandths = (BigInt(numerator) * 100_000n) / BigInt(denominator);
  return Number(thousandths) / 1000;
}

/** A point value as people read it: comma decimals, every digit kept (points are exact to 6 decimals). */
export function formatExact(value: number): string {
  const micro = toMicro(value);
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  const whole = Math.floor(abs / SCALE);
  const frac = String(abs % SCALE)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${frac ? `,${frac}` : ''}`;
}

/** True when numerator ÷ denominator × 100 ≥ threshold, decided exactly. */
export function percentAtLeast(numerator: Micro, denominator: Micro, threshold: number): boolean {
  if (denominator <= 0) return false;
  return BigInt(numerator) * 100n * BigInt(SCALE) >= BigInt(toMicro(threshold)) * BigInt(denominator);
}
