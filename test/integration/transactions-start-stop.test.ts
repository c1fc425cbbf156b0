/**
 * E01/E06 (TC_E_01/02/09/10/11/12 start points, TC_E_06/07/08/14/15/19 stop points): every
 * TxStartPoint × TxStopPoint (6 × 5; DataSigned is no TxStopPoint, Part 2 errata 2.24) through one
 * standard session on a real station against the strict test CSMS:
 *
 *   park → plug → present the token → (signed reading) → energy flows → present the same token → unplug → unpark
 *
 * The expected TransactionEvents are derived below from the rules (docs/transactions.md, Part 6 §2.1
 * and its reusable states), step by step; the test checks after every step that exactly the events
 * of that step arrived.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import type { Harness } from './station-harness.js';
import {
  assertClean,
  assertTxSequence,
  describeTx,
  energyReading,
  meterContexts,
  settle,
  signedReading,
  startTxHarness,
  TOKEN,
  txEvents,
  type ExpectedTx,
} from './transactions-helpers.js';

type Point =
  'ParkingBayOccupancy' | 'EVConnected' | 'Authorized' | 'DataSigned' | 'PowerPathClosed' | 'EnergyTransfer';
type StepName = 'park' | 'plug' | 'token' | 'signed' | 'energy' | 'stopToken' | 'unplug' | 'unpark';

const START_POINTS: Point[] = [
  'ParkingBayOccupancy',
  'EVConnected',
  'Authorized',
  'DataSigned',
  'PowerPathClosed',
  'EnergyTransfer',
];
const STOP_POINTS: Point[] = [
  'ParkingBayOccupancy',
  'EVConnected',
  'Authorized',
  'PowerPathClosed',
  'EnergyTransfer',
];

const SHORT: Record<Point, string> = {
  ParkingBayOccupancy: 'TC_E_12',
  EVConnected: 'TC_E_09',
  Authorized: 'TC_E_10',
  DataSigned: 'TC_E_11',
  PowerPathClosed: 'TC_E_01',
  EnergyTransfer: 'TC_E_02',
};
const STOP_CASES: Record<Point, string> = {
  ParkingBayOccupancy: 'TC_E_19',
  EVConnected: 'TC_E_06/14',
  Authorized: 'TC_E_15',
  PowerPathClosed: 'TC_E_07',
  EnergyTransfer: 'TC_E_08',
  DataSigned: '',
};

type Planned = ExpectedTx & { step: StepName };

/**
 * The TransactionEvents of the standard session, from the rules, not from the implementation:
 *
 * - E01 / Part 6 §9 table: the transaction starts on the fact that reaches the start point, with
 *   that fact's trigger: bay → EVDetected (E01.FR.01), plug → CablePluggedIn (E01.FR.02), token →
 *   Authorized (E01.FR.03), signed reading → SignedDataReceived (E01.FR.04), PowerPathClosed → the
 *   later of plug and authorization (here the token: Authorized), EnergyTransfer → ChargingStateChanged
 *   Charging (E01.FR.06). Earlier facts send nothing (TC_E_02); later facts are Updated with their
 *   own trigger (bay EVDetected, plug CablePluggedIn, token Authorized, energy ChargingStateChanged).
 * - chargingState (E02.FR.13, §9.5): no EV Idle; EV, not authorized EVConnected; authorized and
 *   connected before the host reports energy EVConnected, or SuspendedEVSE when TxStartPoint holds
 *   PowerPathClosed (docs/transactions.md, TC_E_10, TC_E_26, TC_E_01); energy Charging; after the stop token
 *   EVConnected; unplugged Idle.
 * - idToken in the first event after the authorization (E03.FR.01); the stop event may carry the
 *   stopping token (E07.FR.02). evse with connectorId in Started and the first event after the plug.
 * - Stop (E06, Part 6 RS StopAuthorized errata): with Authorized, PowerPathClosed or EnergyTransfer
 *   in TxStopPoint the StopAuthorized event itself is Ended, Local (TC_E_07/08/15); otherwise it is
 *   Updated and the Ended comes at unplug (EVConnected: EVCommunicationLost, Idle, TC_E_14) or at
 *   drive-out (ParkingBayOccupancy: EVDeparted, Local, TC_E_19), carrying the stop reason Local.
 *   Until then the unplug of a ParkingBayOccupancy transaction is Updated EVCommunicationLost, Idle.
 */
function expectedEvents(start: Point, stop: Point): Planned[] {
  const out: Planned[] = [];
  let started = false;
  let ended = false;
  const emit = (step: StepName, e: Omit<ExpectedTx, 'eventType'>, eventType?: ExpectedTx['eventType']) => {
    if (ended) return;
    const type = eventType ?? (started ? 'Updated' : 'Started');
    out.push({ step, eventType: type, ...e });
    started = true;
    if (type === 'Ended') ended = true;
  };
  const evseWithConnector = { id: 1, connectorId: 1 };
  const idTokenAlreadySent = () => out.some((e) => e.idToken === 'required');

  // 1. park
  if (start === 'ParkingBayOccupancy')
    emit('park', { triggerReason: 'EVDetected', cs: 'Idle', evse: { id: 1 } });
  // 2. plug
  if (started) emit('plug', { triggerReason: 'CablePluggedIn', cs: 'EVConnected', evse: evseWithConnector });
  else if (start === 'EVConnected')
    emit('plug', { triggerReason: 'CablePluggedIn', cs: 'EVConnected', evse: evseWithConnector });
  // 3. token (accepted, EV connected: nothing flows until the host reports energy)
  const beforeEnergy = start === 'PowerPathClosed' ? 'SuspendedEVSE' : 'EVConnected';
  if (started) emit('token', { triggerReason: 'Authorized', cs: beforeEnergy, idToken: 'required' });
  else if (start === 'Authorized' || start === 'PowerPathClosed')
    emit('token', {
      triggerReason: 'Authorized',
      cs: beforeEnergy,
      idToken: 'required',
      evse: evseWithConnector,
    });
  // 3b. the signed reading (only given when DataSigned is the start point)
  if (start === 'DataSigned')
    emit('signed', {
      triggerReason: 'SignedDataReceived',
      cs: beforeEnergy,
      idToken: 'required',
      evse: evseWithConnector,
    });
  // 4. energy flows
  if (started) emit('energy', { triggerReason: 'ChargingStateChanged', cs: 'Charging' });
  else
    emit('energy', {
      triggerReason: 'ChargingStateChanged',
      cs: 'Charging',
      ...(idTokenAlreadySent() ? {} : { idToken: 'required' as const }),
      evse: evseWithConnector,
    });
  // 5. the same token again: StopAuthorized
  const stopEnds = stop === 'Authorized' || stop === 'PowerPathClosed' || stop === 'EnergyTransfer';
  emit(
    'stopToken',
    {
      triggerReason: 'StopAuthorized',
      cs: 'EVConnected',
      idToken: 'optional',
      ...(stopEnds ? { stoppedReason: 'Local' } : {}),
    },
    stopEnds ? 'Ended' : 'Updated',
  );
  // 6. unplug
  if (stop === 'EVConnected')
    emit('unplug', { triggerReason: 'EVCommunicationLost', cs: 'Idle', stoppedReason: 'Local' }, 'Ended');
  else emit('unplug', { triggerReason: 'EVCommunicationLost', cs: 'Idle' });
  // 7. unpark
  if (stop === 'ParkingBayOccupancy')
    emit('unpark', { triggerReason: 'EVDeparted', cs: 'Idle', stoppedReason: 'Local' }, 'Ended');
  else emit('unpark', { triggerReason: 'EVDeparted', cs: 'Idle' });
  return out;
}

async function runStandardSession(h: Harness, start: Point, planned: Planned[]): Promise<void> {
  const station = h.station;
  const steps: Array<[StepName, () => Promise<unknown> | void]> = [
    ['park', () => station.onParkingBayOccupied(1)],
    ['plug', () => station.onSessionStarted(1, 1)],
    ['token', () => station.onAuthorizationPresented(TOKEN, 1)],
    ...(start === 'DataSigned'
      ? [['signed', () => station.onMeterValue(1, signedReading(1_000))] as [StepName, () => void]]
      : []),
    ['energy', () => station.onEnergyTransferStarted(1)],
    ['stopToken', () => station.onAuthorizationPresented(TOKEN, 1)],
    ['unplug', () => station.onSessionFinished(1, 1)],
    ['unpark', () => station.onParkingBayUnoccupied(1)],
  ];
  const order = steps.map(([name]) => name);
  for (const [name, act] of steps) {
    const result = await act();
    if (name === 'token' || name === 'stopToken') {
      const action = (result as { action: string }).action;
      assert.equal(action, name === 'token' ? 'started' : 'stopped', `presentation at ${name}`);
    }
    await settle(h);
    const upTo = order.indexOf(name);
    const due = planned.filter((p) => order.indexOf(p.step) <= upTo).length;
    assert.equal(
      txEvents(h).length,
      due,
      `TransactionEvents after step ${name}\nreceived:\n${describeTx(txEvents(h))}\nexpected:\n${planned
        .map((p) => `${p.step}: ${p.eventType} ${p.triggerReason}`)
        .join('\n')}`,
    );
  }
}

for (const start of START_POINTS) {
  for (const stop of STOP_POINTS) {
    test(`E01/E06 (${SHORT[start]}, ${STOP_CASES[stop]}): TxStartPoint=${start} TxStopPoint=${stop}: the standard session sends exactly the events its points call for`, async (t) => {
      const h = await startTxHarness({
        set: [
          `TxCtrlr.TxStartPoint=${start}`,
          `TxCtrlr.TxStopPoint=${stop}`,
          ...(start === 'DataSigned' ? ['SampledDataCtrlr.SignReadings=true'] : []),
        ],
      });
      t.after(() => h.close());
      // A register reading before the session: Started carries Transaction.Begin (E01.FR.09 / J_07).
      h.station.onMeterValue(1, energyReading(1_000));
      const planned = expectedEvents(start, stop);
      await runStandardSession(h, start, planned);

      const events = txEvents(h);
      assertTxSequence(events, planned, { label: `${start} → ${stop}` });
      // E07.FR.01: the stop token is not authorized again; C01: the first presentation was.
      assert.equal(h.csms.calls.filter((c) => c.action === 'Authorize').length, 1, 'one AuthorizeRequest');
      // The transaction is over and the EVSE free again.
      assert.equal(h.station.hasActiveTransaction(1), false);
      assert.equal(h.station.getTransactionId(1), undefined);
      checkMeterContexts(events, start);
      assertClean(h);
    });
  }
}

/** Transaction.Begin in Started (signed for DataSigned, TC_E_11); Transaction.End in Ended (E06.FR.11). */
function checkMeterContexts(events: TransactionEventRequest[], start: Point): void {
  const startedEvent = events[0]!;
  assert.ok(
    meterContexts(startedEvent).includes('Transaction.Begin'),
    `Transaction.Begin in Started\n${describeTx(events)}`,
  );
  if (start === 'DataSigned') {
    const begin = startedEvent
      .meterValue!.flatMap((m) => m.sampledValue)
      .find((v) => v.context === 'Transaction.Begin')!;
    const signed = begin.signedMeterValue;
    assert.ok(signed, 'TC_E_11: the Transaction.Begin value is signed');
    for (const field of ['signedMeterData', 'signingMethod', 'encodingMethod', 'publicKey'] as const) {
      assert.equal(typeof signed[field], 'string', `signedMeterValue.${field}`);
    }
  }
  const endedEvent = events.at(-1)!;
  assert.ok(meterContexts(endedEvent).includes('Transaction.End'), 'Transaction.End in Ended');
  for (const middle of events.slice(1, -1)) {
    assert.equal(
      middle.meterValue,
      undefined,
      `no meter values in ${middle.triggerReason} (no interval configured)`,
    );
  }
}
