/**
 * E05 / C15 with TxCtrlr.StopTxOnInvalidId false and MaxEnergyOnInvalidId set: the transaction goes
 * on after the CSMS says the token is Invalid, until the energy delivered since the start reaches
 * the limit; then the station withholds energy (Updated, ChargingStateChanged, SuspendedEVSE:
 * E05.FR.02/03, TC_C_16/17). The production chart's path (xstate/graph getPathsFromEvents) must end
 * in chargingState SuspendedEVSE, and the runtime must take the `meter.energy` transition and send
 * that TransactionEvent.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { getPathsFromEvents } from 'xstate/graph';
import { transactionMachine } from '../../machines/transaction.js';
import type { TransactionEvent, TxSettings } from '../../machines/transaction-rules.js';
import type { TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import { TransitionCoverage, mergeCoverage, type MachineCoverage } from '../../src/testing/index.js';
import {
  energyReading,
  settle,
  startTxHarness,
  TOKEN,
  txEvents,
} from '../integration/transactions-helpers.js';
import { graphLogic, txAbstractState, txInput, T0 } from '../machines/transaction-graph.js';
import { TX_SETTINGS } from '../machines/tx-settings-fixture.js';
import { publishCoverage } from './coverage-sink.js';

const reports: MachineCoverage[] = [];
after(() => publishCoverage('tx-invalid-id', mergeCoverage(reports)));

test('E05.FR.03: an Invalid token charges on until MaxEnergyOnInvalidId, then SuspendedEVSE', async (t) => {
  const settings: TxSettings = { ...TX_SETTINGS, stopTxOnInvalidId: false, maxEnergyOnInvalidIdWh: 1000 };
  const at = (n: number) => new Date(Date.parse(T0) + n * 1000).toISOString();
  const events: TransactionEvent[] = [
    { type: 'ev.connected', connectorId: 1, at: at(1), energyWh: 0 },
    { type: 'auth.accepted', idToken: TOKEN, at: at(2), energyWh: 0 },
    { type: 'tx.answered', seqNo: 0, idTokenInfo: { status: 'Invalid' }, at: at(3) },
    { type: 'meter.energy', at: at(4), energyWh: 5000 },
  ];
  const logic = graphLogic(transactionMachine);
  const initial = logic.getInitialSnapshot.bind(logic);
  logic.getInitialSnapshot = ((scope: never, input: unknown) =>
    initial(scope, (input ?? txInput(settings)) as never)) as typeof logic.getInitialSnapshot;
  const [path] = getPathsFromEvents(logic, events as never, {
    input: txInput(settings),
    serializeState: txAbstractState as never,
    filterEvents: (_snapshot, event) => 'at' in event,
  });
  assert.deepEqual(
    (path?.state.value as { transaction?: { chargingState?: string } }).transaction?.chargingState,
    'SuspendedEVSE',
  );

  const coverage = new TransitionCoverage([transactionMachine]);
  const h = await startTxHarness({
    identity: 'MBT-TX-INVALID',
    set: ['TxCtrlr.StopTxOnInvalidId=false', 'TxCtrlr.MaxEnergyOnInvalidId=1000'],
    station: { inspect: coverage.inspect },
  });
  t.after(() => h.close());
  h.csms.onCall('TransactionEvent', (call) =>
    (call.payload as TransactionEventRequest).idToken ? { idTokenInfo: { status: 'Invalid' } } : {},
  );
  await settle(h);
  h.station.onMeterValue(1, energyReading(0));
  h.station.onSessionStarted(1, 1);
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await settle(h);
  const mark = coverage.mark();
  h.station.onMeterValue(1, energyReading(5000));
  await coverage.waitForFired(mark, ['transaction --meter.energy--> (internal)']);
  await settle(h);
  const last = txEvents(h).at(-1);
  assert.equal(last?.eventType, 'Updated');
  assert.equal(last?.triggerReason, 'ChargingStateChanged');
  assert.equal(last?.transactionInfo.chargingState, 'SuspendedEVSE');
  assert.deepEqual(h.csms.validationFailures, []);
  coverage.countPaths('transaction');
  reports.push(...coverage.report());
});
