/**
 * Helpers of the monitoring tests (N02–N08): CSMS calls for monitors, waiting for NotifyEvent,
 * and timers on a simulated host time for periodic monitors.
 */
import type {
  EventDataType,
  NotifyEventRequest,
  SetMonitoringDataType,
  SetVariableMonitoringResponse,
} from '../../src/generated/ocpp-types.js';
import type { Harness } from './station-harness.js';

/** The example configuration's hard-wired UpperThreshold (60 °C, severity 2) on ChargingStation.Temperature. */
export const HARD_WIRED_ID = 1;
/** The example configuration's preconfigured Delta (severity 4) on ChargingStation.Problem. */
export const PRECONFIGURED_ID = 2;
export const TEMPERATURE = { component: 'ChargingStation', variable: 'Temperature' } as const;

/** SetMonitoringData on ChargingStation.Temperature unless told otherwise. */
export function monitorData(
  type: SetMonitoringDataType['type'],
  value: number,
  severity: number,
  extra: Partial<SetMonitoringDataType> = {},
): SetMonitoringDataType {
  return {
    type,
    value,
    severity,
    component: { name: 'ChargingStation' },
    variable: { name: 'Temperature' },
    ...extra,
  };
}

/** Sends SetVariableMonitoring and returns its results. */
export async function setMonitoring(h: Harness, ...data: SetMonitoringDataType[]) {
  const response = (await h.csms.call(h.identity, 'SetVariableMonitoring', {
    setMonitoringData: data,
  })) as SetVariableMonitoringResponse;
  return response.setMonitoringResult;
}

/** The next NotifyEvent (in arrival order) whose event matches. */
export async function nextEvent(
  h: Harness,
  predicate: (event: EventDataType) => boolean = () => true,
): Promise<EventDataType> {
  const call = await h.csms.waitForCall(
    'NotifyEvent',
    (c) => predicate((c.payload as NotifyEventRequest).eventData[0]),
    20_000,
  );
  return (call.payload as NotifyEventRequest).eventData[0];
}

/** Every NotifyEvent event received so far, in order. */
export function eventsSoFar(h: Harness): EventDataType[] {
  return h.csms.calls
    .filter((c) => c.action === 'NotifyEvent')
    .flatMap((c) => (c.payload as NotifyEventRequest).eventData);
}


export { SimulatedTimers } from '../helpers/simulated-timers.js';
