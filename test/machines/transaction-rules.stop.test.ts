/**
 * Pure tests of the end of a transaction (E06–E10, F03, B12, C16, power loss): every stop path for
 * every TxStopPoint, the EV-side disconnect with StopTxOnEVSideDisconnect and UnlockOnEVSideDisconnect
 * for socket and fixed cables, the unlock effects, and that nothing follows the Ended event.
 * Rows follow Part 6 (digest §2 "Stop options", §9 rules 5–7) and the errata (StopAuthorized RS 6.2.117).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TxPoint, TxSettings } from '../../machines/transaction-rules.js';
import {
  CHARGED,
  charged,
  effectLines,
  EVERY_FACT,
  GROUP,
  MASTER,
  TOKEN,
  TOKEN2,
  at,
  auth,
  charging,
  drive,
  expectRows,
  faulted,
  lines,
  park,
  play,
  plug,
  remoteStop,
  reset,
  stopBy,
  tick,
  unpark,
  unplug,
  type Expect,
} from './tx-rules-harness.js';

interface Case {
  title: string;
  settings: Partial<TxSettings>;
  rows: Expect[];
  /** The transaction goes on (the case shows what does not end it). */
  goesOn?: true;
}

const SUSPENDED_EV: Expect = [charging('SuspendedEV'), 'Updated ChargingStateChanged #2 cs=SuspendedEV', ''];

// E06.FR.01–07 with E07 (local stop), F03 (remote stop), E09/E10 (EV side) and the Part 6 stop
// tests. The default start point (PowerPathClosed) is used; "Before: EnergyTransferStarted" is CHARGED.
const STOP_CASES: Case[] = [
  // EVConnected: the end of the authorization is an Updated; the unplug ends it (E06.FR.02).
  {
    title: 'E06.FR.02 E07.FR.07 TC_E_06/TC_E_14 EVConnected, local stop: Updated StopAuthorized (unlocked), Ended at the unplug with sR Local',
    settings: { stopPoints: ['EVConnected'] },
    rows: [
      ...CHARGED,
      [stopBy(), 'Updated StopAuthorized #2 cs=EVConnected id=TOKEN', 'unlock:1,permitted:false'],
      [charging('SuspendedEV'), '', ''],
      [unplug(), 'Ended EVCommunicationLost #3 cs=Idle sr=Local meter=end', 'unlock:1,ended:Local'],
    ],
  },
  {
    title: 'E06.FR.02 F03.FR.02 TC_E_14 (remote) EVConnected, remote stop: Updated RemoteStop (unlocked, F03 step 4), Ended at the unplug with sR Remote',
    settings: { stopPoints: ['EVConnected'] },
    rows: [
      ...CHARGED,
      [remoteStop(), 'Updated RemoteStop #2 cs=EVConnected', 'unlock:1,permitted:false'],
      [unplug(), 'Ended EVCommunicationLost #3 cs=Idle sr=Remote meter=end', 'unlock:1,ended:Remote'],
    ],
  },
  {
    title: 'E06.FR.02 TC_E_20 EVConnected, EV side disconnect with StopTxOnEVSideDisconnect false: Ended EVCommunicationLost, Idle, EVDisconnected',
    settings: { stopPoints: ['EVConnected'], stopTxOnEVSideDisconnect: false },
    rows: [
      ...CHARGED,
      SUSPENDED_EV,
      [unplug(), 'Ended EVCommunicationLost #3 cs=Idle sr=EVDisconnected meter=end', 'unlock:1,ended:EVDisconnected,permitted:false'],
    ],
  },
  // Authorized: the end of the authorization is the Ended event itself (TC_E_15/21: one TE).
  {
    title: 'E06.FR.03 E07.FR.02 TC_E_15 Authorized, local stop: one Ended StopAuthorized, sR Local, the idToken, EVConnected',
    settings: { stopPoints: ['Authorized'] },
    rows: [
      ...CHARGED,
      [stopBy(), 'Ended StopAuthorized #2 cs=EVConnected id=TOKEN sr=Local meter=end', 'unlock:1,ended:Local,permitted:false'],
      [unplug(), '', ''],
    ],
  },
  {
    title: 'E06.FR.03 F03.FR.03 TC_E_21 Authorized, remote stop: one Ended RemoteStop, sR Remote',
    settings: { stopPoints: ['Authorized'] },
    rows: [
      ...CHARGED,
      [remoteStop(), 'Ended RemoteStop #2 cs=EVConnected sr=Remote meter=end', 'unlock:1,ended:Remote,permitted:false'],
    ],
  },
  {
    title: 'E06.FR.03 E09.FR.01/03 TC_E_17 Authorized, EV side disconnect (StopTxOnEVSideDisconnect, no unlock): Ended EVDisconnected, cable kept locked for its owner (lockedFor)',
    settings: { stopPoints: ['Authorized'], stopTxOnEVSideDisconnect: true, unlockOnEVSideDisconnect: false },
    rows: [
      ...CHARGED,
      [unplug(), 'Ended EVCommunicationLost #2 cs=Idle sr=EVDisconnected meter=end', 'lockedFor:1:TOKEN,ended:EVDisconnected,permitted:false'],
    ],
  },
  // PowerPathClosed: the end of the authorization or of the connection ends it (E06.FR.06).
  {
    title: 'E06.FR.06 TC_E_07 PowerPathClosed, local stop: Ended StopAuthorized, sR Local',
    settings: { stopPoints: ['PowerPathClosed'] },
    rows: [
      ...CHARGED,
      [stopBy(), 'Ended StopAuthorized #2 cs=EVConnected id=TOKEN sr=Local meter=end', 'unlock:1,ended:Local,permitted:false'],
    ],
  },
  {
    title: 'E06.FR.06 TC_E_35 PowerPathClosed, remote stop: the last (only) TE is Ended RemoteStop, sR Remote',
    settings: { stopPoints: ['PowerPathClosed'] },
    rows: [
      ...CHARGED,
      [remoteStop(), 'Ended RemoteStop #2 cs=EVConnected sr=Remote meter=end', 'unlock:1,ended:Remote,permitted:false'],
    ],
  },
  {
    title: 'E06.FR.06 TC_E_37 PowerPathClosed, EV side disconnect with StopTxOnEVSideDisconnect false: Ended EVCommunicationLost, Idle',
    settings: { stopPoints: ['PowerPathClosed'], stopTxOnEVSideDisconnect: false },
    rows: [
      ...CHARGED,
      SUSPENDED_EV,
      [unplug(), 'Ended EVCommunicationLost #3 cs=Idle sr=EVDisconnected meter=end', 'unlock:1,ended:EVDisconnected,permitted:false'],
    ],
  },
  // EnergyTransfer: the energy transfer stopping ends it (E06.FR.07).
  {
    title: 'E06.FR.07 TC_E_08 EnergyTransfer, local stop: Ended StopAuthorized, sR Local',
    settings: { stopPoints: ['EnergyTransfer'] },
    rows: [
      ...CHARGED,
      [stopBy(), 'Ended StopAuthorized #2 cs=EVConnected id=TOKEN sr=Local meter=end', 'unlock:1,ended:Local,permitted:false'],
    ],
  },
  {
    title: 'E06.FR.07 TC_E_22 (errata 6.2.50) EnergyTransfer, the EV suspends: Ended ChargingStateChanged, sR StoppedByEV',
    settings: { stopPoints: ['EnergyTransfer'] },
    rows: [
      ...CHARGED,
      [charging('SuspendedEV'), 'Ended ChargingStateChanged #2 cs=EVConnected sr=StoppedByEV meter=end', 'unlock:1,ended:StoppedByEV,permitted:false'],
    ],
  },
  {
    title: 'E06.FR.07 EnergyTransfer: a pause of the station (SuspendedEVSE) does not end it',
    settings: { stopPoints: ['EnergyTransfer'] },
    rows: [
      ...CHARGED,
      [charging('SuspendedEVSE'), 'Updated ChargingStateChanged #2 cs=SuspendedEVSE', ''],
      [charging(), 'Updated ChargingStateChanged #3 cs=Charging', ''],
    ],
    goesOn: true,
  },
  {
    title: 'E06.FR.07 EnergyTransfer: the EV unplugged while charging ends it even when StopTxOnEVSideDisconnect is false',
    settings: { stopPoints: ['EnergyTransfer'], stopTxOnEVSideDisconnect: false },
    rows: [
      ...CHARGED,
      [unplug(), 'Ended EVCommunicationLost #2 cs=Idle sr=EVDisconnected meter=end', 'unlock:1,ended:EVDisconnected,permitted:false'],
    ],
  },
  {
    title: 'E06.FR.07 E10 EnergyTransfer: the EV unplugged while not charging (EV suspended) leaves a suspended transaction',
    settings: { stopPoints: ['EnergyTransfer'], stopTxOnEVSideDisconnect: false, startPoints: ['EVConnected'] },
    rows: [
      [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin', 'started'],
      [auth(), 'Updated Authorized #1 id=TOKEN', 'permitted:true'],
      [unplug(), 'Updated EVCommunicationLost #2 cs=Idle', 'permitted:false'],
    ],
    goesOn: true,
  },
  // ParkingBayOccupancy: everything is an Updated until the EV leaves the bay (E06.FR.01, TC_E_19).
  {
    title: 'E06.FR.01 TC_E_19 ParkingBayOccupancy, local stop: Updated StopAuthorized, Updated EVCommunicationLost, Ended EVDeparted sR Local',
    settings: { stopPoints: ['ParkingBayOccupancy'] },
    rows: [
      [park(), '', ''],
      ...CHARGED,
      [stopBy(), 'Updated StopAuthorized #2 cs=EVConnected id=TOKEN', 'unlock:1,permitted:false'],
      [unplug(), 'Updated EVCommunicationLost #3 cs=Idle', ''],
      [unpark(), 'Ended EVDeparted #4 cs=Idle sr=Local meter=end', 'unlock:1,ended:Local'],
    ],
  },
  {
    title: 'E06.FR.01 TC_E_19 (remote) ParkingBayOccupancy, remote stop: Ended EVDeparted with sR Remote',
    settings: { stopPoints: ['ParkingBayOccupancy'] },
    rows: [
      [park(), '', ''],
      ...CHARGED,
      [remoteStop(), 'Updated RemoteStop #2 cs=EVConnected', 'unlock:1,permitted:false'],
      [unplug(), 'Updated EVCommunicationLost #3 cs=Idle', ''],
      [unpark(), 'Ended EVDeparted #4 cs=Idle sr=Remote meter=end', 'unlock:1,ended:Remote'],
    ],
  },
  {
    title: 'E06.FR.01 ParkingBayOccupancy: nobody ended the authorization: Ended EVDeparted with sR Local',
    settings: { startPoints: ['ParkingBayOccupancy'], stopPoints: ['ParkingBayOccupancy'] },
    rows: [
      [park(), 'Started EVDetected #0 cs=Idle evse=1 meter=begin', 'started'],
      [unpark(), 'Ended EVDeparted #1 cs=Idle sr=Local meter=end', 'ended:Local'],
    ],
  },
  // OCPP 1.6 compatible defaults (EVConnected, Authorized): the first of the two ends it.
  {
    title: 'E06 1.6 defaults (EVConnected, Authorized): the local stop ends it; the unplug afterwards sends nothing',
    settings: { stopPoints: ['EVConnected', 'Authorized'] },
    rows: [
      ...CHARGED,
      [stopBy(), 'Ended StopAuthorized #2 cs=EVConnected id=TOKEN sr=Local meter=end', 'unlock:1,ended:Local,permitted:false'],
      [unplug(), '', ''],
    ],
  },
  {
    title: 'E06 1.6 defaults (EVConnected, Authorized): the unplug ends it with EVDisconnected',
    settings: { stopPoints: ['EVConnected', 'Authorized'] },
    rows: [
      ...CHARGED,
      [unplug(), 'Ended EVCommunicationLost #2 cs=Idle sr=EVDisconnected meter=end', 'unlock:1,ended:EVDisconnected,permitted:false'],
    ],
  },
  // E07.FR.02: the token that stopped; C09 group members; C16 MasterPass.
  {
    title: 'E07.FR.02 C09 TC_C_39: a token of the same group stops it, and the Ended event carries that token',
    settings: { stopPoints: ['Authorized'] },
    rows: [
      [auth(TOKEN, { groupIdToken: GROUP }), '', ''],
      ...CHARGED.slice(1),
      [stopBy(TOKEN2), 'Ended StopAuthorized #2 cs=EVConnected id=TOKEN2 sr=Local meter=end', 'unlock:1,ended:Local,permitted:false'],
    ],
  },
  {
    title: 'E07.FR.02 TC_C_40 EVConnected: the group token in the Updated StopAuthorized',
    settings: { stopPoints: ['EVConnected'] },
    rows: [
      [auth(TOKEN, { groupIdToken: GROUP }), '', ''],
      ...CHARGED.slice(1),
      [stopBy(TOKEN2), 'Updated StopAuthorized #2 cs=EVConnected id=TOKEN2', 'unlock:1,permitted:false'],
      [unplug(), 'Ended EVCommunicationLost #3 cs=Idle sr=Local meter=end', 'unlock:1,ended:Local'],
    ],
  },
  {
    title: 'C16.FR.07 (errata 2.22) TC_C_14/47/49 MasterPass: Ended StopAuthorized with sR MasterPass and the master token',
    settings: { stopPoints: ['Authorized'] },
    rows: [
      ...CHARGED,
      [stopBy(MASTER, 'MasterPass'), 'Ended StopAuthorized #2 cs=EVConnected id=MASTER sr=MasterPass meter=end', 'unlock:1,ended:MasterPass,permitted:false'],
    ],
  },
  {
    title: 'E07.FR.02 E06.FR.09: a stop without a token (stop button) sends no idToken, sR Local',
    settings: { stopPoints: ['Authorized'] },
    rows: [...CHARGED, [stopBy(null), 'Ended StopAuthorized #2 cs=EVConnected sr=Local meter=end', 'unlock:1,ended:Local,permitted:false']],
  },
  {
    title: 'F03.FR.02: a remote stop after the authorization already ended is an Updated RemoteStop; the unplug ends it (sR Remote)',
    settings: { stopPoints: ['EVConnected'] },
    rows: [
      ...CHARGED,
      [stopBy(), 'Updated StopAuthorized #2 cs=EVConnected id=TOKEN', 'unlock:1,permitted:false'],
      [remoteStop(), 'Updated RemoteStop #3', 'unlock:1'],
      [unplug(), 'Ended EVCommunicationLost #4 cs=Idle sr=Remote meter=end', 'unlock:1,ended:Remote'],
    ],
  },
  {
    title: 'F03.FR.03: a remote stop of a transaction never authorized ends it when TxStopPoint holds Authorized',
    settings: { startPoints: ['EVConnected'], stopPoints: ['EVConnected', 'Authorized'] },
    rows: [
      [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin', 'started'],
      [remoteStop(), 'Ended RemoteStop #1 cs=EVConnected sr=Remote meter=end', 'unlock:1,ended:Remote'],
    ],
  },
  // Abnormal ends.
  {
    title: 'E06.FR.16: a fault ends it with AbnormalCondition and the reason the host gives',
    settings: {},
    rows: [...CHARGED, [faulted('OvercurrentFault'), 'Ended AbnormalCondition #2 cs=EVConnected sr=OvercurrentFault meter=end', 'unlock:1,ended:OvercurrentFault,permitted:false']],
  },
  {
    title: 'E06.FR.16: a fault without a reason ends it with sR Other',
    settings: {},
    rows: [...CHARGED, [faulted(), 'Ended AbnormalCondition #2 cs=EVConnected sr=Other meter=end', 'unlock:1,ended:Other,permitted:false']],
  },
  {
    title: 'B12.FR.04/08 (errata 2.16) TC_B_22/27 Reset Immediate: Ended ResetCommand, ImmediateReset, EVConnected, no idToken',
    settings: {},
    rows: [...CHARGED, [reset(), 'Ended ResetCommand #2 cs=EVConnected sr=ImmediateReset meter=end', 'unlock:1,ended:ImmediateReset,permitted:false']],
  },
  {
    title: 'B12.FR.04 TC_B_22: the Ended of a reset carries no idToken even when the authorization was not reported yet',
    settings: { startPoints: ['EVConnected'] },
    rows: [
      [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin', 'started'],
      [reset(), 'Ended ResetCommand #1 cs=EVConnected sr=ImmediateReset meter=end', 'unlock:1,ended:ImmediateReset'],
    ],
  },
];

for (const c of STOP_CASES) {
  test(c.title, () => {
    const run = expectRows(assert, c.settings, c.rows);
    assert.equal(run.context.ended, !c.goesOn, 'the transaction ended');
    if (c.goesOn) return;
    const ended = run.events.filter((e) => e.eventType === 'Ended');
    assert.equal(ended.length <= 1, true);
    if (ended.length === 1) {
      assert.equal(run.events.at(-1)?.eventType, 'Ended', 'Ended is the last event');
      assert.ok(ended[0]?.stoppedReason, 'E06.FR.08: stoppedReason is given');
      assert.ok(ended[0]?.chargingState, 'E02.FR.13: chargingState in Ended');
      assert.deepEqual(ended[0]?.meter, ['end'], 'E06.FR.11: Transaction.End');
    }
    // Nothing is emitted after Ended, whatever happens.
    const after = drive(run.context, EVERY_FACT);
    assert.deepEqual(lines(after), [], 'no event after Ended');
    assert.deepEqual(after.effects, [], 'no effect after Ended');
    assert.equal(after.context.seqNo, run.context.seqNo, 'seqNo unchanged');
  });
}

// Part 6 §9 rule 7 (E09/E10): the EV-side disconnect by TxStopPoint, StopTxOnEVSideDisconnect,
// UnlockOnEVSideDisconnect and the cable (socket or permanently attached). A fixed cable is never
// unlocked; a socket cable is unlocked only with UnlockOnEVSideDisconnect (E09.FR.02/03), else, when
// the authorization or the transaction ends, it is kept locked for its owner's idToken (lockedFor,
// E09.FR.03); it stays locked while the transaction is suspended (E10.FR.01).
interface SideCase {
  stopPoints: TxPoint[];
  stopTx: boolean;
  unlock: boolean;
  fixed: boolean;
}
const SIDE_CASES: SideCase[] = [];
for (const stopPoints of [['Authorized'], ['ParkingBayOccupancy'], ['Authorized', 'ParkingBayOccupancy']] as TxPoint[][])
  for (const stopTx of [true, false])
    for (const unlock of [true, false])
      for (const fixed of [false, true]) SIDE_CASES.push({ stopPoints, stopTx, unlock, fixed });

for (const c of SIDE_CASES) {
  const ends = c.stopTx && c.stopPoints.includes('Authorized');
  const ref = c.stopTx ? (ends ? 'E09.FR.01 TC_E_17/24/25' : 'E09.FR.01 TC_E_24/25') : 'E10 TC_E_26/27';
  test(`${ref} EV side disconnect, TxStopPoint ${c.stopPoints.join('+')}, StopTxOnEVSideDisconnect ${c.stopTx}, UnlockOnEVSideDisconnect ${c.unlock}, ${c.fixed ? 'fixed cable' : 'socket'}`, () => {
    const settings: Partial<TxSettings> = {
      stopPoints: c.stopPoints,
      stopTxOnEVSideDisconnect: c.stopTx,
      unlockOnEVSideDisconnect: c.unlock,
      fixedCableConnectors: c.fixed ? [1] : [],
    };
    const unlocked = c.stopTx && c.unlock && !c.fixed ? 'unlock:1,' : '';
    const lockedFor = c.stopTx && !c.unlock && !c.fixed ? 'lockedFor:1:TOKEN,' : '';
    const rows: Expect[] = [[park(), '', ''], ...CHARGED, SUSPENDED_EV];
    if (ends) {
      rows.push([unplug(), 'Ended EVCommunicationLost #3 cs=Idle sr=EVDisconnected meter=end', `${unlocked}${lockedFor}ended:EVDisconnected,permitted:false`]);
      const run = expectRows(assert, settings, rows);
      assert.equal(run.context.ended, true);
      return;
    }
    rows.push([{ ...unplug(), at: at(10) }, 'Updated EVCommunicationLost #3 cs=Idle', `${unlocked}${lockedFor}permitted:false`]);
    const run = expectRows(assert, settings, rows);
    assert.equal(run.context.ended, false);
    assert.equal(run.context.authorized, !c.stopTx, 'E09.FR.01: deauthorized; E10: authorization goes on');
    // E10.FR.02 TC_E_27: a fixed cable must be back within EVConnectionTimeOut; a socket cable waits.
    assert.equal(run.context.evConnectionTimeoutAt, !c.stopTx && c.fixed ? at(130) : null);
    if (c.stopTx) {
      // E09.FR.01: the EV comes back: no energy until authorized again (the same token).
      const back = expectRows(assert, settings, [
        ...rows,
        [plug(), 'Updated CablePluggedIn #4 cs=EVConnected evse=1/1', ''],
        [auth(TOKEN2), '', ''],
        [auth(TOKEN), 'Updated Authorized #5 cs=SuspendedEVSE id=TOKEN', 'permitted:true'],
        [charging(), 'Updated ChargingStateChanged #6 cs=Charging', ''],
      ]);
      assert.equal(back.context.ended, false);
    } else {
      // TC_E_26: re-plugged in time: CablePluggedIn (with the connector again), then Charging; no new authorization.
      expectRows(assert, settings, [
        ...rows,
        [plug(), 'Updated CablePluggedIn #4 cs=SuspendedEVSE evse=1/1', 'permitted:true'],
        [charging(), 'Updated ChargingStateChanged #5 cs=Charging', ''],
      ]);
      // E10.FR.01: the driver presents the token: the cable is released (and the stop points decide).
      const stopped = drive(run.context, [stopBy()]);
      const stopLine = c.stopPoints.includes('Authorized')
        ? 'Ended StopAuthorized #4 id=TOKEN sr=Local meter=end'
        : 'Updated StopAuthorized #4 id=TOKEN';
      // chargingState stays Idle (no EV): sent in Ended, left out of the Updated.
      assert.deepEqual(lines(stopped), [stopLine.replace('#4 ', c.stopPoints.includes('Authorized') ? '#4 cs=Idle ' : '#4 ')]);
      assert.equal(stopped.effects.some((e) => e.kind === 'unlock'), !c.fixed, 'unlocked unless fixed');
    }
  });
}

test('E10.FR.02 TC_E_27 (errata 6.2.52): a fixed cable not re-plugged within EVConnectionTimeOut: Ended EVConnectTimeout (Authorized) or Updated (ParkingBayOccupancy)', () => {
  const base: Partial<TxSettings> = { stopTxOnEVSideDisconnect: false, fixedCableConnectors: [1] };
  const prefix: Expect[] = [[park(), '', ''], ...CHARGED, [{ ...unplug(), at: at(10) }, 'Updated EVCommunicationLost #2 cs=Idle', 'permitted:false']];
  const ended = expectRows(assert, { ...base, stopPoints: ['Authorized'] }, [
    ...prefix,
    [tick('timer.evConnection', at(130)), 'Ended EVConnectTimeout #3 cs=Idle sr=Timeout meter=end', 'ended:Timeout'],
  ]);
  assert.equal(ended.context.ended, true);
  const updated = expectRows(assert, { ...base, stopPoints: ['ParkingBayOccupancy'] }, [
    ...prefix,
    [tick('timer.evConnection', at(130)), 'Updated EVConnectTimeout #3', ''],
    [plug(), 'Updated CablePluggedIn #4 cs=EVConnected evse=1/1', ''],
    [charging(), '', ''],
    [unpark(), 'Ended EVDeparted #5 cs=EVConnected sr=Timeout meter=end', 'ended:Timeout'],
  ]);
  assert.equal(updated.context.ended, true);
});

test('E05.FR.11: a transaction ended by Deauthorized keeps the cable locked until its owner comes back', () => {
  expectRows(assert, { stopPoints: ['Authorized'] }, [
    ...CHARGED,
    [{ type: 'tx.answered', seqNo: 0, idTokenInfo: { status: 'Invalid' } }, 'Ended Deauthorized #2 cs=EVConnected sr=DeAuthorized meter=end', 'lockedFor:1:TOKEN,ended:DeAuthorized,permitted:false'],
  ]);
});

test('E06.FR.10 E07.FR.07: a permanently attached cable is never unlocked', () => {
  for (const stopPoints of [['EVConnected'], ['Authorized'], ['ParkingBayOccupancy']] as TxPoint[][]) {
    const run = play({ stopPoints, fixedCableConnectors: [1] }, [park(), auth(), plug(), charging(), stopBy(), remoteStop(), unplug(), unpark()]);
    assert.equal(run.context.ended, true, stopPoints.join());
    assert.deepEqual(run.effects.filter((e) => e.kind === 'unlock'), [], stopPoints.join());
  }
});

test('E06.FR.10: one unlock per step, on the connector of the session', () => {
  for (const stopPoints of [['EVConnected'], ['Authorized'], ['PowerPathClosed'], ['ParkingBayOccupancy']] as TxPoint[][]) {
    const run = play({ stopPoints }, [park(), auth(), plug(2), charging(), unplug(2), stopBy(), remoteStop(), unpark()]);
    for (const effects of run.effectsPerFact) {
      const unlocks = effects.filter((e) => e.kind === 'unlock');
      assert.ok(unlocks.length <= 1, stopPoints.join());
      for (const u of unlocks) assert.deepEqual(u, { kind: 'unlock', connectorId: 2 });
    }
  }
});

test('PowerLoss (InternalCtrlr.ResumeTransactionsOnBoot false): resumed ends it with AbnormalCondition, PowerLoss, no idToken', () => {
  const before = play({ startPoints: ['EVConnected'] }, [plug(), auth()]);
  assert.equal(before.context.pendingIdToken, null);
  const settings = before.context.settings;
  // Even a token the CSMS has not been told of yet stays out of it.
  const pending = play({ startPoints: ['EVConnected'] }, [plug()]).context;
  const withToken = drive({ ...pending, pendingIdToken: TOKEN }, [{ type: 'resumed', resumeTransactions: false, settings }], at(500));
  assert.deepEqual(lines(withToken), ['Ended AbnormalCondition #1 cs=EVConnected sr=PowerLoss meter=end']);
  assert.equal(withToken.events[0]?.timestamp, at(500));
  const run = drive(before.context, [{ type: 'resumed', resumeTransactions: false, settings }], at(500));
  assert.deepEqual(lines(run), ['Ended AbnormalCondition #2 cs=EVConnected sr=PowerLoss meter=end']);
  assert.equal(run.context.ended, true);
});

test('E07.FR.07 E09.FR.03: a cable unlocked by the local stop is not held for its owner when the EV leaves later (TxStopPoint EVConnected, UnlockOnEVSideDisconnect false)', () => {
  const run = play({ stopPoints: ['EVConnected'], stopTxOnEVSideDisconnect: true, unlockOnEVSideDisconnect: false }, [
    ...charged(),
    stopBy(),
    unplug(),
  ]);
  const effects = effectLines(run);
  assert.ok(effects.includes('unlock:1'), 'the local stop unlocks (E07.FR.07)');
  assert.ok(!effects.some((e) => e.startsWith('lockedFor')), 'nothing is kept locked afterwards');
  assert.equal(run.context.ended, true);
});
