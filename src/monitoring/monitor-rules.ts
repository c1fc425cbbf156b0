/**
 * The evaluation rules of monitors (N07, N08), pure: what a new Actual value does to a monitor's
 * state and whether it is reported, and when a periodic monitor reports next.
 */
import type { DataEnumType } from '../generated/ocpp-types.js';
import { nextClockAlignedTime } from '../meter-values/index.js';
import type { Monitor, MonitorFiring } from './monitor-types.js';

/** The outcome of one evaluation: the state to keep and, when it fires, what to report. */
export interface Evaluation {
  exceeded: boolean;
  reference: string | null;
  firing?: MonitorFiring;
}

const isNumeric = (dataType: DataEnumType | undefined): boolean =>
  dataType === 'integer' || dataType === 'decimal';

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Evaluates a monitor against the variable's Actual value `value`:
 * - UpperThreshold fires Alerting when the value goes above the threshold (not on it, N07.FR.16),
 *   LowerThreshold when it drops below (N07.FR.17); each fires again with cleared when the value
 *   returns (N07.FR.02). A value that is not a number changes nothing.
 * - Delta on a numeric variable fires when the value moved more than ± monitorValue from the
 *   reference (N07.FR.18); on any other type at every change (N07.FR.19). The reference becomes the
 *   reported value. A monitor without reference takes the value without firing.
 * - Periodic and PeriodicClockAligned never fire on a change (N08: on time only).
 *
 * @example
 * evaluate({ ...monitor, type: 'UpperThreshold', value: 60, exceeded: false }, '61', 'decimal');
 * // { exceeded: true, reference: null, firing: { trigger: 'Alerting', cleared: false } }
 */
export function evaluate(
  monitor: Pick<Monitor, 'type' | 'value' | 'exceeded' | 'reference'>,
  value: string | undefined,
  dataType: DataEnumType | undefined,
): Evaluation {
  const { exceeded, reference } = monitor;
  switch (monitor.type) {
    case 'UpperThreshold':
    case 'LowerThreshold': {
      const n = numberOf(value);
      if (n === undefined) return { exceeded, reference };
      const now = monitor.type === 'UpperThreshold' ? n > monitor.value : n < monitor.value;
      if (now === exceeded) return { exceeded, reference };
      return { exceeded: now, reference, firing: { trigger: 'Alerting', cleared: !now } };
    }
    case 'Delta': {
      const text = value ?? '';
      if (reference === null) return { exceeded, reference: text };
      if (isNumeric(dataType)) {
        const n = numberOf(text);
        const from = numberOf(reference);
        if (n === undefined) return { exceeded, reference };
        if (from === undefined) return { exceeded, reference: text };
        return Math.abs(n - from) > monitor.value
          ? { exceeded, reference: text, firing: { trigger: 'Delta' } }
          : { exceeded, reference };
      }
      return text === reference
        ? { exceeded, reference }
        : { exceeded, reference: text, firing: { trigger: 'Delta' } };
    }
    case 'Periodic':
    case 'PeriodicClockAligned':
      return { exceeded, reference };
  }
}

/**
 * The trigger a monitor reports with when it fires on request (`monitor trigger`) or on time.
 *
 * @example
 * triggerOf('LowerThreshold'); // 'Alerting'
 */
export function triggerOf(type: Monitor['type']): MonitorFiring['trigger'] {
  return type === 'Delta'
    ? 'Delta'
    : type === 'Periodic' || type === 'PeriodicClockAligned'
      ? 'Periodic'
      : 'Alerting';
}

/**
 * When a periodic monitor reports next after `fromIso`: monitorValue seconds later (Periodic,
 * N08.FR.06) or the next instant of the grid of monitorValue seconds from midnight
 * (PeriodicClockAligned, N08.FR.07, in `zone` when given); null for other types.
 *
 * @example
 * nextReportAt({ type: 'Periodic', value: 60 }, '2026-01-01T00:00:10.000Z'); // '2026-01-01T00:01:10.000Z'
 * nextReportAt({ type: 'PeriodicClockAligned', value: 900 }, '2026-01-01T00:10:00.000Z'); // '2026-01-01T00:15:00.000Z'
 */
export function nextReportAt(
  monitor: Pick<Monitor, 'type' | 'value'>,
  fromIso: string,
  zone?: string,
): string | null {
  if (monitor.type === 'Periodic')
    return new Date(Date.parse(fromIso) + Math.round(monitor.value * 1000)).toISOString();
  if (monitor.type === 'PeriodicClockAligned') {
    return nextClockAlignedTime(fromIso, Math.max(1, Math.round(monitor.value)), zone ? { zone } : {});
  }
  return null;
}
