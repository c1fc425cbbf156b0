/**
 * The console commands of device-model values and monitors (N02–N08): `dm set` changes a value the
 * way the hardware would (a host write: the monitors on it fire, the CSMS is not the writer),
 * `monitor list` prints one `monitor` event per installed monitor, `monitor trigger` fires one.
 */
import { formatVariablePath } from '../device-model/variable-path.js';
import type { Monitor } from '../monitoring/monitor-types.js';
import type { CliEventBody } from './cli-events.js';
import type { ConsoleCommand } from './console-commands.js';
import type { CommandOutcome } from './run-console-command.js';
import type { SimulatedStation } from './simulated-station.js';

/**
 * The `monitor` event of one installed monitor (docs/cli.md).
 *
 * @example
 * station.cp.monitors().map(monitorEvent); // [{ type: 'monitor', id: 1, kind: 'HardWiredMonitor', ... }]
 */
export function monitorEvent(m: Monitor): Extract<CliEventBody, { type: 'monitor' }> {
  return {
    type: 'monitor',
    id: m.id,
    kind: m.kind,
    component: m.component,
    variable: m.variable,
    monitorType: m.type,
    severity: m.severity,
    value: m.value,
    transaction: m.transaction,
  };
}

/**
 * `dm set <path>=<value>`: the value is written as the host's (ReadOnly attributes included).
 *
 * @example
 * await runDmCommand(station, parseCommand('dm set ChargingStation.Temperature=71') as never);
 * // { ok: true, message: 'ChargingStation.Temperature = 71 (Accepted)', ... }
 */
export async function runDmCommand(
  station: SimulatedStation,
  command: Extract<ConsoleCommand, { name: 'dm' }>,
): Promise<CommandOutcome> {
  const status = await station.cp.setVariableFromHost(command.ref, command.value);
  const path = formatVariablePath(command.ref);
  const data = { path, value: command.value, status };
  return status === 'Accepted' || status === 'RebootRequired'
    ? { ok: true, message: `${path} = ${command.value} (${status})`, data }
    : { ok: false, message: `${path} not set: ${status}`, data };
}

/**
 * `monitor list` / `monitor trigger <id>`.
 *
 * @example
 * const outcome = await runMonitorCommand(station, { name: 'monitor', action: 'list' });
 * outcome.events?.length; // one per installed monitor
 */
export async function runMonitorCommand(
  station: SimulatedStation,
  command: Extract<ConsoleCommand, { name: 'monitor' }>,
): Promise<CommandOutcome> {
  if (command.action === 'list') {
    const monitors = station.cp.monitors();
    return {
      ok: true,
      message: `${monitors.length} monitor${monitors.length === 1 ? '' : 's'} installed`,
      events: monitors.map(monitorEvent),
    };
  }
  const notice = await station.cp.triggerMonitor(command.id);
  if (notice === undefined) return { ok: false, message: `no installed monitor has id ${command.id}` };
  const { monitor, request, delivery } = notice;
  const event = request.eventData[0];
  const where = formatVariablePath({
    component: monitor.component.name,
    ...(monitor.component.instance === undefined ? {} : { componentInstance: monitor.component.instance }),
    ...(monitor.component.evse === undefined ? {} : { evseId: monitor.component.evse.id }),
    ...(monitor.component.evse?.connectorId === undefined
      ? {}
      : { connectorId: monitor.component.evse.connectorId }),
    variable: monitor.variable.name,
    ...(monitor.variable.instance === undefined ? {} : { variableInstance: monitor.variable.instance }),
  });
  return {
    ok: true,
    message: `monitor ${monitor.id} (${monitor.kind} ${monitor.type} on ${where}) fired: NotifyEvent ${event.trigger} ${delivery}`,
    data: { eventData: event, delivery },
  };
}
