/**
 * Pure tests of the CSMS's verdict on the idToken of a transaction (E05, C15, E06.FR.04) with
 * StopTxOnInvalidId and MaxEnergyOnInvalidId, and of host control (transactionControl 'host',
 * libocpp's on_transaction_started/finished). Part 6 digest §9 rule 9 and TC_C_15/16/17/18, TC_E_16.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TxPoint, TxSettings } from '../../machines/transaction-rules.js';
import type { AuthorizationStatusEnumType } from '../../src/generated/ocpp-types.js';
import {
  GROUP,
  answered,
  auth,
  charging,
  drive,
  energy,
  expectRows,
  lines,
  park,
  play,
  plug,
  remoteStop,
  stopBy,
  unpark,
  unplug,
  type Expect,
  type Fact,
} from './tx-rules-harness.js';

/** Authorized, plugged at 1000 Wh (the Started event: its register is the base), charging. */
const CHARGING_AT_1000: Expect[] = [
  [auth(), '', ''],
  [plug(1, 1000), 'Started CablePluggedIn #0 cs=SuspendedEVSE evse=1/1 id=TOKEN meter=begin', 'started,permitted:true'],
  [charging(), 'Updated ChargingStateChanged #1 cs=Charging', ''],
];

interface Case {
  title: string;
  settings: Partial<TxSettings>;
  rows: Expect[];
  ended: boolean;
}

const INVALID_CASES: Case[] = [];
// StopTxOnInvalidId true: Deauthorized, whatever MaxEnergyOnInvalidId says (TC_C_18 with 500).
for (const max of [0, 500]) {
  for (const stopPoints of [['Authorized'], ['PowerPathClosed'], ['EnergyTransfer'], ['EVConnected', 'Authorized']] as TxPoint[][]) {
    INVALID_CASES.push({
      title: `E05.FR.10 E06.FR.04/06 TC_C_16/18 TC_E_16 StopTxOnInvalidId, MaxEnergyOnInvalidId ${max}, TxStopPoint ${stopPoints.join('+')}: Ended Deauthorized, DeAuthorized`,
      settings: { stopTxOnInvalidId: true, maxEnergyOnInvalidIdWh: max, stopPoints },
      rows: [
        ...CHARGING_AT_1000,
        [answered(0, 'Invalid', { energyWh: 1100 }), 'Ended Deauthorized #2 cs=EVConnected sr=DeAuthorized meter=end', 'lockedFor:1:TOKEN,ended:DeAuthorized,permitted:false'],
      ],
      ended: true,
    });
  }
}
INVALID_CASES.push(
  {
    title: 'E05.FR.09 C15.FR.03 StopTxOnInvalidId, TxStopPoint EVConnected: Updated Deauthorized (EVConnected); the unplug ends it with DeAuthorized',
    settings: { stopTxOnInvalidId: true, stopPoints: ['EVConnected'] },
    rows: [
      ...CHARGING_AT_1000,
      [answered(0, 'Invalid'), 'Updated Deauthorized #2 cs=EVConnected', 'lockedFor:1:TOKEN,permitted:false'],
      [charging(), '', ''],
      [unplug(), 'Ended EVCommunicationLost #3 cs=Idle sr=DeAuthorized meter=end', 'unlock:1,ended:DeAuthorized'],
    ],
    ended: true,
  },
  {
    title: 'E05.FR.09 TC_C_34 StopTxOnInvalidId, TxStopPoint ParkingBayOccupancy: Updated Deauthorized; Ended EVDeparted with DeAuthorized',
    settings: { stopTxOnInvalidId: true, stopPoints: ['ParkingBayOccupancy'] },
    rows: [
      [park(), '', ''],
      ...CHARGING_AT_1000,
      [answered(0, 'Invalid'), 'Updated Deauthorized #2 cs=EVConnected', 'lockedFor:1:TOKEN,permitted:false'],
      [unplug(), 'Updated EVCommunicationLost #3 cs=Idle', ''],
      [unpark(), 'Ended EVDeparted #4 cs=Idle sr=DeAuthorized meter=end', 'unlock:1,ended:DeAuthorized'],
    ],
    ended: true,
  },
  {
    title: 'E05.FR.02 C15.FR.06 TC_C_17 StopTxOnInvalidId false, MaxEnergyOnInvalidId 0: Updated ChargingStateChanged SuspendedEVSE at once; no Deauthorized, not ended',
    settings: { stopTxOnInvalidId: false, maxEnergyOnInvalidIdWh: 0, stopPoints: ['EVConnected', 'Authorized'] },
    rows: [
      ...CHARGING_AT_1000,
      [answered(0, 'Invalid'), 'Updated ChargingStateChanged #2 cs=SuspendedEVSE', 'permitted:false'],
      [charging(), '', ''],
      [energy(5000), '', ''],
      [stopBy(), 'Ended StopAuthorized #3 cs=EVConnected id=TOKEN sr=Local meter=end', 'unlock:1,ended:Local'],
    ],
    ended: true,
  },
  {
    title: 'E05.FR.03 C15.FR.07 TC_C_15 StopTxOnInvalidId false, MaxEnergyOnInvalidId 500: energy flows until 500 Wh since the start, then SuspendedEVSE',
    settings: { stopTxOnInvalidId: false, maxEnergyOnInvalidIdWh: 500 },
    rows: [
      ...CHARGING_AT_1000,
      [answered(0, 'Invalid', { energyWh: 1100 }), '', ''],
      [energy(1499), '', ''],
      [charging('SuspendedEV'), 'Updated ChargingStateChanged #2 cs=SuspendedEV', ''],
      [charging(), 'Updated ChargingStateChanged #3 cs=Charging', ''],
      [energy(1500), 'Updated ChargingStateChanged #4 cs=SuspendedEVSE', 'permitted:false'],
      [energy(1600), '', ''],
      [charging(), '', ''],
    ],
    ended: false,
  },
  {
    title: 'E05.FR.02/03: MaxEnergyOnInvalidId already delivered when the answer comes: SuspendedEVSE at once',
    settings: { stopTxOnInvalidId: false, maxEnergyOnInvalidIdWh: 500 },
    rows: [...CHARGING_AT_1000, [answered(0, 'Invalid', { energyWh: 1500 }), 'Updated ChargingStateChanged #2 cs=SuspendedEVSE', 'permitted:false']],
    ended: false,
  },
);

for (const c of INVALID_CASES) {
  test(c.title, () => {
    const run = expectRows(assert, c.settings, c.rows);
    assert.equal(run.context.ended, c.ended);
    assert.equal(run.events.some((e) => e.triggerReason === 'Deauthorized'), c.settings.stopTxOnInvalidId === true);
  });
}

test('TC_C_15 (offline start, TxStartPoint EVConnected): the answer to the Updated that carried the token counts; the base is the Started register', () => {
  const run = expectRows(assert, { startPoints: ['EVConnected'], stopTxOnInvalidId: false, maxEnergyOnInvalidIdWh: 10000 }, [
    [plug(1, 0), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
    [auth(), 'Updated Authorized #1 id=TOKEN'],
    [charging(), 'Updated ChargingStateChanged #2 cs=Charging'],
    [answered(0, 'Invalid'), ''],
    [answered(1, 'Invalid', { energyWh: 100 }), ''],
    [energy(9999), ''],
    [energy(10000), 'Updated ChargingStateChanged #3 cs=SuspendedEVSE'],
  ]);
  assert.deepEqual(run.context.invalidId, { suspended: true });
});

test('E05.FR.03: without a register at the start the limit counts from the register of the answer', () => {
  const run = expectRows(assert, { stopTxOnInvalidId: false, maxEnergyOnInvalidIdWh: 300 }, [
    [auth(), ''],
    [plug(), 'Started CablePluggedIn #0 cs=SuspendedEVSE evse=1/1 id=TOKEN meter=begin'],
    [charging(), 'Updated ChargingStateChanged #1 cs=Charging'],
    [answered(0, 'Invalid', { energyWh: 2000 }), ''],
    [energy(2299), ''],
    [energy(2300), 'Updated ChargingStateChanged #2 cs=SuspendedEVSE'],
  ]);
  assert.equal(run.context.meterStartWh, null);
});

test('Part 6 §9 rule 9 / C10: every status but Accepted is not Accepted (Blocked, Expired, Unknown, NoCredit, ...)', () => {
  const statuses: AuthorizationStatusEnumType[] = ['Invalid', 'Blocked', 'Expired', 'Unknown', 'NoCredit', 'ConcurrentTx', 'NotAllowedTypeEVSE', 'NotAtThisLocation', 'NotAtThisTime'];
  for (const status of statuses) {
    const run = play({ stopPoints: ['Authorized'] }, [auth(), plug(), { type: 'tx.answered', seqNo: 0, idTokenInfo: { status } }]);
    assert.deepEqual(lines(run).at(-1), 'Ended Deauthorized #1 cs=EVConnected sr=DeAuthorized meter=end', status);
  }
});

test('E05: an Accepted answer changes nothing but the groupIdToken it gives (C09, TC_C_40)', () => {
  const run = expectRows(assert, {}, [
    [auth(), ''],
    [plug(), 'Started CablePluggedIn #0 cs=SuspendedEVSE evse=1/1 id=TOKEN meter=begin'],
    [answered(0, 'Accepted', { groupIdToken: GROUP }), '', ''],
  ]);
  assert.deepEqual(run.context.groupIdToken, GROUP);
  assert.equal(run.context.authorized, true);
});

test('E05: only the answer to the event that carried the authorizing token counts; none after the authorization ended', () => {
  const table: [string, Partial<TxSettings>, Fact[]][] = [
    ['an answer to an event without the token', {}, [auth(), plug(), charging(), answered(1, 'Invalid')]],
    ['an answer with no idTokenInfo', {}, [auth(), plug(), { type: 'tx.answered', seqNo: 0 }]],
    ['an answer to a later seqNo', {}, [auth(), plug(), answered(7, 'Invalid')]],
    ['an answer after a local stop (EVConnected)', { stopPoints: ['EVConnected'] }, [auth(), plug(), stopBy(), answered(0, 'Invalid')]],
    ['an answer after a remote stop (EVConnected)', { stopPoints: ['EVConnected'] }, [auth(), plug(), remoteStop(), answered(0, 'Invalid')]],
    ['the answer to the StopAuthorized event (its token stopped it)', { stopPoints: ['EVConnected'] }, [auth(), plug(), stopBy(), answered(1, 'Invalid')]],
  ];
  for (const [title, settings, facts] of table) {
    const before = play(settings, facts.slice(0, -1));
    const after = drive(before.context, facts.slice(-1));
    assert.deepEqual(lines(after), [], title);
    assert.deepEqual(after.effects, [], title);
    assert.equal(after.context.authorized, before.context.authorized, title);
  }
});

test('E05 after a re-authorization: the answer to the newer token is the one checked', () => {
  const run = expectRows(assert, { startPoints: ['EVConnected'], stopPoints: ['EVConnected'] }, [
    [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
    [auth(), 'Updated Authorized #1 id=TOKEN'],
    [stopBy(), 'Updated StopAuthorized #2 id=TOKEN'],
    [auth(), 'Updated Authorized #3 id=TOKEN'],
    [answered(1, 'Invalid'), ''],
    [answered(3, 'Invalid'), 'Updated Deauthorized #4'],
  ]);
  assert.equal(run.context.authorized, false);
});

// Host control (transactionControl 'host'): the host says when the transaction starts and ends;
// TxStartPoint / TxStopPoint are not applied; everything else (fields, chargingState) is the same.
test('host control: no start point starts it; host.start does, with the reason given or the one the facts suggest', () => {
  const table: [string, Fact[], string][] = [
    ['authorized', [plug(), auth(), { type: 'host.start' }], 'Started Authorized #0 cs=EVConnected evse=1/1 id=TOKEN meter=begin'],
    ['plugged', [plug(), { type: 'host.start' }], 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
    ['parked', [park(), { type: 'host.start' }], 'Started EVDetected #0 cs=Idle evse=1 meter=begin'],
    ['a reason given', [plug(), { type: 'host.start', triggerReason: 'ChargingStateChanged' }], 'Started ChargingStateChanged #0 cs=EVConnected evse=1/1 meter=begin'],
  ];
  for (const [title, facts, started] of table) {
    const run = play({ control: 'host', startPoints: [...(['ParkingBayOccupancy', 'EVConnected', 'Authorized'] as TxPoint[])] }, facts);
    assert.deepEqual(lines(run), [started], title);
  }
  const twice = play({ control: 'host' }, [plug(), { type: 'host.start' }, { type: 'host.start' }]);
  assert.equal(twice.events.length, 1);
});

test('host control: the end of the authorization or of the connection is an Updated; host.finish ends it', () => {
  expectRows(assert, { control: 'host', stopPoints: ['EVConnected', 'Authorized'] }, [
    [plug(), '', ''],
    [auth(), '', 'permitted:true'],
    [{ type: 'host.start' }, 'Started Authorized #0 cs=SuspendedEVSE evse=1/1 id=TOKEN meter=begin', 'started'],
    [charging(), 'Updated ChargingStateChanged #1 cs=Charging', ''],
    [stopBy(), 'Updated StopAuthorized #2 cs=EVConnected id=TOKEN', 'unlock:1,permitted:false'],
    [remoteStop(), 'Updated RemoteStop #3', 'unlock:1'],
    [unplug(), 'Updated EVCommunicationLost #4 cs=Idle', ''],
    [{ type: 'host.finish', reason: 'EVDisconnected', triggerReason: 'EVCommunicationLost' }, 'Ended EVCommunicationLost #5 cs=Idle sr=EVDisconnected meter=end', 'unlock:1,ended:EVDisconnected'],
  ]);
  expectRows(assert, { control: 'host' }, [
    [plug(), ''],
    [{ type: 'host.start' }, 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
    [{ type: 'host.finish', reason: 'Local' }, 'Ended StopAuthorized #1 cs=EVConnected sr=Local meter=end'],
  ]);
});

test('host control: host.finish before host.start drops the session (nothing was sent)', () => {
  const run = play({ control: 'host' }, [plug(), { type: 'host.finish', reason: 'Local' }]);
  assert.equal(run.context.discarded, true);
  assert.deepEqual(lines(run), []);
});

test('library control: the host\'s start and finish are not applied (onTransactionStarted/Finished are for host control)', () => {
  const run = expectRows(assert, { startPoints: ['Authorized'] }, [
    [plug(), ''],
    [{ type: 'host.start' }, ''],
    [{ type: 'host.finish', reason: 'Local' }, ''],
    [auth(), 'Started Authorized #0 cs=EVConnected evse=1/1 id=TOKEN meter=begin'],
    [{ type: 'host.finish', reason: 'Local' }, ''],
  ]);
  assert.equal(run.context.ended, false);
  assert.equal(run.context.discarded, false);
});

test('TC_E_52 / TC_C_02: no authorization, no energy: EV connected sessions are never permitted', () => {
  const run = play({ startPoints: ['EVConnected'] }, [plug(), charging(), charging('SuspendedEV')]);
  assert.deepEqual(lines(run), ['Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin']);
  assert.equal(run.effects.some((e) => e.kind === 'permitted' && e.permitted), false);
});

test('C01.FR.01: the permission follows authorization and connection, told once per change', () => {
  const run = play({ stopPoints: ['ParkingBayOccupancy'], startPoints: ['ParkingBayOccupancy'] }, [
    park(),
    auth(),
    plug(),
    plug(),
    charging(),
    unplug(),
    plug(),
    auth(),
    stopBy(),
    auth(),
  ]);
  assert.deepEqual(
    run.effectsPerFact.map((effects) => effects.filter((e) => e.kind === 'permitted').map((e) => (e.kind === 'permitted' ? e.permitted : null))),
    [[], [], [true], [], [], [false], [], [true], [false], [true]],
  );
});
