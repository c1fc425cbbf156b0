import type { ChargingRateUnitEnumType } from '../generated/ocpp-types.js';

/**
 * Converts a charging-rate value between A (per phase, K01.FR.51) and W (total), using the nominal
 * line voltage and the number of phases in use (K01.FR.50):
 *
 *   A = W / (voltage × phases)        W = A × voltage × phases
 *
 * @example
 * convertRate(11000, 'W', 'A', 230, 3); // 15.942...
 * convertRate(16, 'A', 'W', 230, 3);    // 11040
 */
export function convertRate(
  value: number,
  from: ChargingRateUnitEnumType,
  to: ChargingRateUnitEnumType,
  voltage: number,
  phases: number,
): number {
  if (from === to) return value;
  return from === 'W' ? value / (voltage * phases) : value * voltage * phases;
}

/**
 * Rounds a limit down to one decimal: the schema accepts at most one digit fraction, and rounding
 * down keeps the reported limit at or below every merged limit (SC.01, K08.FR.04). A tolerance of
 * 1e-6 keeps values such as 0.3 (computed as 0.29999...) from losing a tenth.
 *
 * @example
 * floorToTenth(15.942); // 15.9
 * floorToTenth(0.1 + 0.2); // 0.3
 */
export function floorToTenth(value: number): number {
  return Math.floor(value * 10 + 1e-6) / 10;
}

/**
 * Rounds to the nearest tenth (for minChargingRate, which is informative, not a cap).
 *
 * @example
 * roundToTenth(6.26); // 6.3
 */
export function roundToTenth(value: number): number {
  return Math.round(value * 10) / 10;
}
