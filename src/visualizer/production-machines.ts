/**
 * The statecharts a running station is made of, as the visualizer draws them: the machines of
 * machines/ that the station spawns (DESIGN.md "Actors"). Their effects are provided in src/
 * (`machine.provide`), which changes no state or transition, so the definitions here are the
 * charts that run.
 */
import type { AnyStateMachine } from 'xstate';
import { bootMachine } from '../../machines/boot.js';
import { connectionMachine } from '../../machines/connection.js';
import { connectorMachine } from '../../machines/connector.js';
import { evseMachine } from '../../machines/evse.js';
import { reservationMachine } from '../../machines/reservation.js';
import { stationMachine } from '../../machines/station.js';
import { transactionMachine } from '../../machines/transaction.js';
import { machineChart, type MachineChart } from './machine-graph.js';

/**
 * The production machines by their id (the `machine` of a state event). Firmware joins when it
 * exists.
 *
 * @example
 * Object.keys(PRODUCTION_MACHINES); // ['station', 'connection', 'boot', 'evse', 'connector', 'transaction', 'reservation']
 */
export const PRODUCTION_MACHINES: Readonly<Record<string, AnyStateMachine>> = Object.freeze({
  station: stationMachine,
  connection: connectionMachine,
  boot: bootMachine,
  evse: evseMachine,
  connector: connectorMachine,
  transaction: transactionMachine,
  reservation: reservationMachine,
});

let charts: Readonly<Record<string, MachineChart>> | undefined;

/**
 * Every production machine serialized (made once and shared: the definitions never change at run time).
 *
 * @example
 * productionCharts().connector?.root.states.length; // 3 (facts, status, report)
 */
export function productionCharts(): Readonly<Record<string, MachineChart>> {
  charts ??= Object.freeze(
    Object.fromEntries(
      Object.entries(PRODUCTION_MACHINES).map(([name, machine]) => [name, machineChart(machine)]),
    ),
  );
  return charts;
}
