/**
 * Carries out one parsed console command on a simulated station: hardware first (persisted), then
 * the matching ChargePoint handler, and a message saying what happened.
 */
import type { ConsoleCommand } from './console-commands.js';
import { HELP_TEXT } from './console-commands.js';
import type { ConnectorHardware } from './simulated-hardware.js';
import type { SimulatedStation } from './simulated-station.js';
import { reservationsOf } from './status-reservations.js';
import { REDACTED } from '../logging/redact-key-codes.js';
import type { CliEventBody } from './cli-events.js';
import { runDmCommand, runMonitorCommand } from './monitor-commands.js';
import { customerCommand, displayCommand } from './run-ui-commands.js';

export interface CommandOutcome {
  ok: boolean;
  message: string;
  data?: unknown;
  /** Events printed before the command's own `command` event (e.g. one `monitor` event per monitor). */
  events?: CliEventBody[];
}

/**
 * Runs a command. Hardware refusals (no such EVSE, no cable plugged in, ...) come back as
 * `ok: false` outcomes; only unexpected failures throw.
 *
 * @example
 * const outcome = await runConsoleCommand(station, { name: 'plug', evseId: 1, connectorId: undefined });
 * // { ok: true, message: 'EVSE 1 connector 1: cable plugged in', data: { ... } }
 */
export async function runConsoleCommand(
  station: SimulatedStation,
  command: ConsoleCommand,
): Promise<CommandOutcome> {
  const { hardware } = station;
  const connectorOf = (evseId: number, connectorId: number | undefined): number =>
    connectorId ?? hardware.activeConnector(evseId).connectorId;
  try {
    switch (command.name) {
      case 'help':
        return { ok: true, message: HELP_TEXT };
      case 'plug': {
        const c = await hardware.plug(command.evseId, connectorOf(command.evseId, command.connectorId));
        station.cp.onSessionStarted(c.evseId, c.connectorId);
        station.syncEnergy(c.evseId);
        return {
          ok: true,
          message: `EVSE ${c.evseId} connector ${c.connectorId}: cable plugged in`,
          data: c,
        };
      }
      case 'unplug': {
        const c = await hardware.unplug(command.evseId, connectorOf(command.evseId, command.connectorId));
        station.cp.onSessionFinished(c.evseId, c.connectorId);
        station.syncEnergy(c.evseId);
        return { ok: true, message: `EVSE ${c.evseId} connector ${c.connectorId}: cable unplugged`, data: c };
      }
      case 'unplug-ev': {
        const c = await hardware.unplugEv(command.evseId, connectorOf(command.evseId, command.connectorId));
        station.cp.onEvDisconnected(c.evseId, c.connectorId);
        station.syncEnergy(c.evseId);
        const where = c.fixedCable
          ? 'the fixed cable is free again'
          : `the cable stays in the socket${c.locked ? ', locked' : ''}`;
        return {
          ok: true,
          message: `EVSE ${c.evseId} connector ${c.connectorId}: EV unplugged at the EV side; ${where}`,
          data: c,
        };
      }
      case 'park':
      case 'unpark': {
        const parked = command.name === 'park';
        const c = await hardware.park(command.evseId, parked);
        if (parked) station.cp.onParkingBayOccupied(command.evseId);
        else station.cp.onParkingBayUnoccupied(command.evseId);
        return {
          ok: true,
          message: `EVSE ${command.evseId}: ${parked ? 'an EV is in the parking bay' : 'the EV left the parking bay'}`,
          data: c,
        };
      }
      case 'fault': {
        const c = await hardware.fault(command.evseId, connectorOf(command.evseId, command.connectorId));
        station.cp.onFaulted(c.evseId, c.connectorId);
        station.syncEnergy(c.evseId);
        return { ok: true, message: `EVSE ${c.evseId} connector ${c.connectorId}: fault reported`, data: c };
      }
      case 'clear': {
        const connectorId = connectorOf(command.evseId, command.connectorId);
        const wasFaulted = hardware.connector(command.evseId, connectorId).faulted;
        const c = await hardware.clearFault(command.evseId, connectorId);
        if (wasFaulted) station.cp.onFaultCleared(c.evseId, c.connectorId);
        station.syncEnergy(c.evseId);
        return { ok: true, message: `EVSE ${c.evseId} connector ${c.connectorId}: fault cleared`, data: c };
      }
      case 'lock-fail': {
        const c = await hardware.failLock(command.evseId, connectorOf(command.evseId, command.connectorId));
        return {
          ok: true,
          message: `EVSE ${c.evseId} connector ${c.connectorId}: the retention lock will fail at its next attempt (until clear)`,
          data: c,
        };
      }
      case 'charge': {
        const c = await hardware.charge(command.evseId, station.chargingPowerW(command.evseId));
        station.syncEnergy(c.evseId);
        const now = hardware.connector(c.evseId, c.connectorId);
        return {
          ok: true,
          message: now.flowing
            ? `EVSE ${c.evseId}: EV charging at ${now.powerW} W (meter ${now.energyWh} Wh)`
            : `EVSE ${c.evseId}: the EV asks for ${now.powerW} W; energy flows once the station permits charging (meter ${now.energyWh} Wh)`,
          data: now,
        };
      }
      case 'suspend': {
        const c = await hardware.suspend(command.evseId);
        station.syncEnergy(c.evseId);
        return {
          ok: true,
          message: `EVSE ${c.evseId}: EV suspended charging (meter ${c.energyWh} Wh)`,
          data: c,
        };
      }
      case 'meter': {
        const c = await hardware.setMeter(command.evseId, command.energyWh, command.powerW);
        station.reportMeters();
        const power =
          command.powerW === undefined
            ? ''
            : `, EV power ${c.powerW} W${c.flowing ? '' : ' when it charges'}`;
        return {
          ok: true,
          message: `EVSE ${c.evseId} connector ${c.connectorId}: meter set to ${c.energyWh} Wh${power}`,
          data: c,
        };
      }
      case 'sign': {
        hardware.activeConnector(command.evseId);
        if (!station.meter.signing) {
          return { ok: false, message: "this station's meters do not sign (start it with --signing-meter)" };
        }
        station.reportMeters();
        return { ok: true, message: `EVSE ${command.evseId}: the meter delivered a signed reading` };
      }
      case 'auth': {
        const result = await station.cp.onAuthorizationPresented(
          { idToken: command.idToken, type: command.tokenType },
          command.evseId,
        );
        // C04.FR.04: a key code is never shown.
        const shown = command.tokenType === 'KeyCode' ? REDACTED : command.idToken;
        const where =
          result.evseId !== undefined
            ? ` on EVSE ${result.evseId}`
            : result.evseIds && result.evseIds.length > 0
              ? ` on EVSE ${result.evseIds.join(', ')}`
              : '';
        const message =
          result.action === 'masterPass'
            ? `idToken ${shown} is a master pass: choose the transactions to stop${where} with 'masterpass-select all' or 'masterpass-select <evse> ...'`
            : result.action === 'started'
            ? `idToken ${shown} authorized${where}`
            : result.action === 'stopped'
              ? `idToken ${shown} ended the authorization${where}`
              : result.action === 'unlocked'
                ? `idToken ${shown} unlocked its cable${where}`
              : `idToken ${shown} ${result.action === 'rejected' ? 'not authorized' : 'changes nothing'}: ${result.reason ?? result.status}`;
        return { ok: true, message, data: result };
      }
      case 'offline':
        station.goOffline();
        return { ok: true, message: "websocket closed; the station stays offline until 'online'" };
      case 'online':
        station.goOnline();
        return { ok: true, message: 'reconnecting to the CSMS now' };
      case 'status':
        return status(station);
      case 'display':
        return displayCommand(station);
      case 'customer':
        return await customerCommand(station, command);
      case 'masterpass-select': {
        if (!station.masterPassUi) {
          return {
            ok: false,
            message: 'this station has no master-pass UI (start it with --master-pass-ui)',
          };
        }
        let chosen;
        try {
          chosen = station.cp.onMasterPassSelected(command.selection);
        } catch (error) {
          return { ok: false, message: (error as Error).message };
        }
        return {
          ok: true,
          message:
            chosen.evseIds.length === 0
              ? 'master pass: no chosen transaction is still authorized'
              : `master pass ended the authorization on EVSE ${chosen.evseIds.join(', ')} (stoppedReason MasterPass)`,
          data: chosen,
        };
      }
      case 'limit':
        return await externalLimit(station, command);
      case 'dm':
        return await runDmCommand(station, command);
      case 'monitor':
        return await runMonitorCommand(station, command);
      case 'firmware':
        station.nextFirmwareOutcome = command.outcome;
        return {
          ok: true,
          message:
            command.outcome === 'Installed'
              ? 'the next firmware installation succeeds: the station reboots into the new version'
              : `the next firmware installation ends ${command.outcome}; the station keeps its version`,
          data: { next: command.outcome },
        };
      case 'quit':
        return { ok: true, message: 'stopping the station' };
    }
  } catch (error) {
    if (error instanceof Error && (error.name === 'HardwareError' || error instanceof RangeError)) {
      return { ok: false, message: error.message };
    }
    throw error;
  }
}

/** K11–K13: the simulated hardware reports an external limit (or its release) to the ChargePoint. */
async function externalLimit(
  station: SimulatedStation,
  command: Extract<ConsoleCommand, { name: 'limit' }>,
): Promise<CommandOutcome> {
  const { evseId, source, set } = command;
  const where = evseId === 0 ? 'station' : `EVSE ${evseId}`;
  if (set === undefined) {
    const cleared = await station.cp.onExternalLimitCleared(evseId, source);
    return cleared
      ? { ok: true, message: `${where}: external limit from ${source} released; ClearedChargingLimit sent` }
      : { ok: false, message: `${where}: no external limit from ${source} is set` };
  }
  let result;
  try {
    result = await station.cp.onExternalLimit({ evseId, source, limit: set.limit, unit: set.unit });
  } catch (error) {
    if (error instanceof TypeError) return { ok: false, message: error.message };
    throw error;
  }
  if (result.status === 'Rejected') {
    const details = result.additionalInfo === undefined ? '' : `: ${result.additionalInfo}`;
    return {
      ok: false,
      message: `${where}: external limit refused, ${result.reasonCode} (${result.requirement}${details})`,
      data: result,
    };
  }
  const composite = station.cp
    .getCompositeSchedules({ duration: 1, chargingRateUnit: set.unit })
    .find((s) => s.schedule.evseId === evseId);
  const now = composite?.schedule.chargingSchedulePeriod[0].limit;
  return {
    ok: true,
    message:
      `${where}: external limit ${set.limit} ${set.unit} from ${source} applied (profile ${result.profileId}); ` +
      `${result.notified ? 'NotifyChargingLimit sent' : 'not reported: change within LimitChangeSignificance'}; ` +
      `composite limit now ${now ?? '?'} ${set.unit}`,
    data: { ...result, compositeLimit: now },
  };
}

function status(station: SimulatedStation): CommandOutcome {
  const cp = station.cp;
  const connectors = station.hardware.connectors().map((c: ConnectorHardware) => ({
    ...c,
    status: cp.connectorStatus(c.evseId, c.connectorId) ?? null,
    transactionId: cp.getTransactionId(c.evseId) ?? null,
  }));
  const data = {
    boot: station.bootCount,
    connected: cp.isConnected,
    offline: station.isOffline,
    registration: cp.registrationStatus,
    time: cp.clock.nowIso(),
    connectors,
    // D02 / C10: what GetLocalListVersion answers and how many tokens the Authorization Cache holds.
    localListVersion: cp.localListVersion(),
    authCacheSize: cp.authCacheSize(),
    reservations: reservationsOf(cp),
  };
  const lines = [
    `connection: ${cp.isConnected ? 'connected' : station.isOffline ? 'offline (command)' : 'disconnected'}, registration: ${cp.registrationStatus}, boot ${station.bootCount}, station time ${data.time}`,
    ...connectors.map(
      (c) =>
        `EVSE ${c.evseId} connector ${c.connectorId}: ${c.status ?? 'unknown'}, cable ${c.plugged ? 'plugged' : 'unplugged'}` +
        `${c.locked ? ' (locked)' : ''}${c.faulted ? ', faulted' : ''}${c.parked ? ', EV parked' : ''}, EV ${c.ev}` +
        `${c.flowing ? `, drawing ${c.powerW} W` : ''}, meter ${c.energyWh} Wh` +
        `${c.transactionId ? `, transaction ${c.transactionId}` : ''}`,
    ),
    `local authorization list version ${data.localListVersion}, authorization cache ${data.authCacheSize} token${data.authCacheSize === 1 ? '' : 's'}`,
    ...data.reservations.map(
      (r) =>
        `reservation ${r.id}: ${r.evseId === null ? 'any EVSE' : `EVSE ${r.evseId}`}` +
        `${r.connectorType === null ? '' : ` (${r.connectorType})`} for ${r.idToken}` +
        `${r.groupIdToken ? ` (group ${r.groupIdToken})` : ''} until ${r.expiryDateTime}`,
    ),
  ];
  return { ok: true, message: lines.join('\n'), data };
}
