/**
 * Pure tests of the meter data a transaction asks for (E01.FR.09, E06.FR.11, J01/J02, F06.FR.07):
 * which kinds go in which TransactionEvent, the periodic and TxEnded sample grids, trigger events,
 * the energy register at the start, and timeSpentCharging. src/ reads the meter for each kind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TxSettings } from '../../machines/transaction-rules.js';
import {
  CHARGED,
  at,
  auth,
  charging,
  drive,
  effectLines,
  expectRows,
  lines,
  play,
  plug,
  stopBy,
  tick,
  trigger,
  unplug,
  type Fact,
} from './tx-rules-harness.js';

const SAMPLED: Partial<TxSettings> = {
  txUpdatedIntervalS: 60,
  txEndedIntervalS: 30,
  alignedIntervalS: 900,
  alignedTxEndedIntervalS: 300,
};

test('E01.FR.09 E06.FR.11: Transaction.Begin in Started, Transaction.End in Ended, no meter data in event-driven Updated', () => {
  const run = play({}, [auth(), plug(), charging(), charging('SuspendedEV'), stopBy()]);
  assert.deepEqual(
    run.events.map((e) => [e.eventType, e.meter]),
    [
      ['Started', ['begin']],
      ['Updated', []],
      ['Updated', []],
      ['Ended', ['end']],
    ],
  );
});

test('E01.FR.09: the energy register of the starting fact is kept as the start register', () => {
  assert.equal(play({}, [auth(), plug(1, 1234)]).context.meterStartWh, 1234);
  assert.equal(play({}, [auth(), plug()]).context.meterStartWh, null);
  assert.equal(play({ startPoints: ['EnergyTransfer'] }, [auth(), plug(1, 5), charging('Charging', 77)]).context.meterStartWh, 77);
});

test('J02.FR.11 TC_J_09: MeterValuePeriodic every TxUpdatedInterval from the start, with the periodic kind', () => {
  const run = expectRows(assert, SAMPLED, [
    ...CHARGED,
    [tick('timer.periodic', at(62)), 'Updated MeterValuePeriodic #2 meter=periodic', ''],
    [tick('timer.periodic', at(122)), 'Updated MeterValuePeriodic #3 meter=periodic', ''],
  ]);
  assert.equal(run.context.startedAt, at(2));
  assert.equal(run.context.nextPeriodicAt, at(182), 'the grid counts from the start');
});

test('J02: a late tick (power loss, stall) skips the grid points that passed', () => {
  const run = play(SAMPLED, [auth(), plug(), tick('timer.periodic', at(1000))]);
  assert.deepEqual(lines(run).at(-1), 'Updated MeterValuePeriodic #1 meter=periodic');
  assert.equal(run.context.nextPeriodicAt, at(1022), '2 + 17 × 60');
});

test('J02: no periodic wait without TxUpdatedInterval, none before the start, none after the end', () => {
  assert.equal(play({}, [auth(), plug()]).context.nextPeriodicAt, null);
  assert.equal(play(SAMPLED, [auth()]).context.nextPeriodicAt, null);
  const started = play(SAMPLED, [auth(), plug()]);
  assert.equal(started.context.nextPeriodicAt, at(62));
  assert.equal(started.context.nextEndedSampleAt, at(32));
  const ended = drive(started.context, [stopBy()]);
  assert.equal(ended.context.nextPeriodicAt, null);
  assert.equal(ended.context.nextEndedSampleAt, null);
});

test('a tick of a wait that is not armed (stale) changes nothing', () => {
  const table: [string, Partial<TxSettings>, Fact[]][] = [
    ['periodic without TxUpdatedInterval', {}, [auth(), plug(), tick('timer.periodic')]],
    ['TxEnded sample without TxEndedInterval', {}, [auth(), plug(), tick('timer.endedSample')]],
    ['EVConnectionTimeOut with the EV connected', {}, [auth(), plug(), tick('timer.evConnection')]],
    ['EVConnectionTimeOut after a socket cable left (E10.FR.01)', { stopTxOnEVSideDisconnect: false, stopPoints: ['Authorized'] }, [auth(), plug(), unplug(), tick('timer.evConnection')]],
  ];
  for (const [title, settings, facts] of table) {
    const before = play(settings, facts.slice(0, -1));
    const after = drive(before.context, facts.slice(-1));
    assert.deepEqual(lines(after), [], title);
    assert.deepEqual(after.effects, [], title);
    assert.equal(after.context.ended, false, title);
  }
});

test('J01.FR.22 TC_J_02: MeterValueClock on the aligned grid during a transaction, with the clock kind; nothing before the start', () => {
  const before = play(SAMPLED, [auth(), tick('timer.clock')]);
  assert.deepEqual(lines(before), []);
  expectRows(assert, SAMPLED, [...CHARGED, [tick('timer.clock', at(900)), 'Updated MeterValueClock #2 meter=clock', '']]);
});

test('J02 TC_J_10 / TC_J_03: the TxEnded samples are recorded (effects), not sent, until the Ended event carries them', () => {
  const run = expectRows(assert, SAMPLED, [
    ...CHARGED,
    [tick('timer.endedSample', at(32)), '', 'sample:periodic'],
    [tick('timer.endedSample', at(62)), '', 'sample:periodic'],
    [tick('timer.alignedEndedSample', at(300)), '', 'sample:clock'],
    [stopBy(), 'Ended StopAuthorized #2 cs=EVConnected id=TOKEN sr=Local meter=end', 'unlock:1,ended:Local,permitted:false'],
  ]);
  assert.equal(run.context.nextEndedSampleAt, null);
});

test('J02: the TxEnded sample grid continues from its last point and skips passed points', () => {
  const run = play(SAMPLED, [auth(), plug(), tick('timer.endedSample', at(32)), tick('timer.endedSample', at(200))]);
  assert.equal(run.context.nextEndedSampleAt, at(212));
  assert.deepEqual(effectLines(run).filter((e) => e.startsWith('sample')), ['sample:periodic', 'sample:periodic']);
});

test('F06.FR.07 TC_F_13/14: a triggered TransactionEvent: Updated Trigger with chargingState, evse and the trigger kind, each time', () => {
  expectRows(assert, SAMPLED, [
    ...CHARGED,
    [trigger(), 'Updated Trigger #2 cs=Charging evse=1/1 meter=trigger', ''],
    [trigger(), 'Updated Trigger #3 cs=Charging evse=1/1 meter=trigger', ''],
    [tick('timer.periodic', at(62)), 'Updated MeterValuePeriodic #4 meter=periodic', ''],
  ]);
});

test('F06.FR.07: a trigger without a transaction (session not started) sends nothing; the EVSE id alone before the EV connected', () => {
  assert.deepEqual(lines(play({}, [auth(), trigger()])), []);
  assert.deepEqual(lines(play({ startPoints: ['Authorized'] }, [auth(), trigger()])), [
    'Started Authorized #0 cs=Idle evse=1 id=TOKEN meter=begin',
    'Updated Trigger #1 cs=Idle evse=1 meter=trigger',
  ]);
});

test('timeSpentCharging counts the seconds of Charging only, in every event of the transaction', () => {
  const run = play({}, [
    { ...auth(), at: at(0) },
    { ...plug(), at: at(5) },
    { ...charging(), at: at(10) },
    { ...charging('SuspendedEV'), at: at(70) },
    { ...trigger(), at: at(80) },
    { ...charging(), at: at(100) },
    { ...trigger(), at: at(110) },
    { ...stopBy(), at: at(130) },
  ]);
  assert.deepEqual(
    run.events.map((e) => [e.triggerReason, e.timeSpentCharging]),
    [
      ['CablePluggedIn', 0],
      ['ChargingStateChanged', 0],
      ['ChargingStateChanged', 60],
      ['Trigger', 60],
      ['ChargingStateChanged', 60],
      ['Trigger', 70],
      ['StopAuthorized', 90],
    ],
  );
  assert.equal(run.context.hasCharged, true);
});
