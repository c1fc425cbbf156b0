/**
 * Pure tests of the start of a transaction (E01–E03, F01/F02, C01 as far as a session goes): every
 * TxStartPoint, the RemoteStart override, the fields sent once, and the chargingState rules.
 * Each row says what one fact must send (docs/transactions.md, Part 6 digest §2 and §9).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TX_POINTS, chargingPermitted, chargingStateOf, type TxPoint } from '../../machines/transaction-rules.js';
import {
  GROUP,
  TOKEN,
  TOKEN2,
  CHARGED,
  auth,
  drive,
  charging,
  expectRows,
  lines,
  lockFailed,
  park,
  play,
  plug,
  remoteStart,
  remoteStop,
  reset,
  signed,
  stopBy,
  unpark,
  unplug,
  type Expect,
  type Fact,
} from './tx-rules-harness.js';

interface Case {
  title: string;
  startPoints: TxPoint[];
  rows: Expect[];
}

// E01.FR.01–06 and Part 6 §9 "Start / triggerReason per TxStartPoint": the Started event comes with
// the fact that reaches the start point, with that fact's triggerReason, Transaction.Begin meter
// values, evse, chargingState and (once authorized) the idToken. Facts of points that are not start
// points send nothing before it (TC_E_02); afterwards every fact is an Updated with its own reason.
const START_CASES: Case[] = [
  {
    title: 'E01.FR.01 TC_E_12 ParkingBayOccupancy: the bay sensor starts it (EVDetected, Idle, evse without connector)',
    startPoints: ['ParkingBayOccupancy'],
    rows: [
      [park(), 'Started EVDetected #0 cs=Idle evse=1 meter=begin', 'started'],
      [auth(), 'Updated Authorized #1 id=TOKEN', ''],
      [plug(), 'Updated CablePluggedIn #2 cs=EVConnected evse=1/1', 'permitted:true'],
      [charging('SuspendedEVSE'), 'Updated ChargingStateChanged #3 cs=SuspendedEVSE', ''],
      [charging(), 'Updated ChargingStateChanged #4 cs=Charging', ''],
    ],
  },
  {
    title: 'E01.FR.02 E02.FR.06 TC_E_09 EVConnected: the plug starts it (CablePluggedIn, EVConnected, evse+connector)',
    startPoints: ['EVConnected'],
    rows: [
      [park(), '', ''],
      [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin', 'started'],
      [auth(), 'Updated Authorized #1 id=TOKEN', 'permitted:true'],
      [charging(), 'Updated ChargingStateChanged #2 cs=Charging', ''],
    ],
  },
  {
    title: 'E01.FR.02 TC_E_09 EVConnected, authorized first: Started at the plug carries the idToken',
    startPoints: ['EVConnected'],
    rows: [
      [auth(), '', ''],
      [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 id=TOKEN meter=begin', 'started,permitted:true'],
      [charging(), 'Updated ChargingStateChanged #1 cs=Charging', ''],
    ],
  },
  {
    title: 'E01.FR.03 TC_E_10 Authorized: the token starts it (Authorized, idToken, evse id only: the connector is not known)',
    startPoints: ['Authorized'],
    rows: [
      [park(), '', ''],
      [auth(), 'Started Authorized #0 cs=Idle evse=1 id=TOKEN meter=begin', 'started'],
      [plug(), 'Updated CablePluggedIn #1 cs=EVConnected evse=1/1', 'permitted:true'],
      [charging(), 'Updated ChargingStateChanged #2 cs=Charging', ''],
    ],
  },
  {
    title: 'E01.FR.03 TC_E_03 Authorized, cable first: Started Authorized with the connector',
    startPoints: ['Authorized'],
    rows: [
      [plug(), '', ''],
      [auth(), 'Started Authorized #0 cs=EVConnected evse=1/1 id=TOKEN meter=begin', 'started,permitted:true'],
      [charging(), 'Updated ChargingStateChanged #1 cs=Charging', ''],
    ],
  },
  {
    title: 'E01.FR.04 TC_E_11 DataSigned: the signed reading starts it (SignedDataReceived, idToken, evse+connector)',
    startPoints: ['DataSigned'],
    rows: [
      [park(), '', ''],
      [auth(), '', ''],
      [plug(), '', 'permitted:true'],
      [signed(), 'Started SignedDataReceived #0 cs=EVConnected evse=1/1 id=TOKEN meter=begin', 'started'],
      [signed(), '', ''],
      [charging(), 'Updated ChargingStateChanged #1 cs=Charging', ''],
    ],
  },
  {
    title: 'E01.FR.05 TC_E_01 PowerPathClosed, authorized first: Started at the plug (CablePluggedIn, SuspendedEVSE)',
    startPoints: ['PowerPathClosed'],
    rows: [
      [park(), '', ''],
      [auth(), '', ''],
      [plug(), 'Started CablePluggedIn #0 cs=SuspendedEVSE evse=1/1 id=TOKEN meter=begin', 'started,permitted:true'],
      [charging('SuspendedEVSE'), '', ''],
      [charging(), 'Updated ChargingStateChanged #1 cs=Charging', ''],
    ],
  },
  {
    title: 'E01.FR.05 TC_E_03 PowerPathClosed, cable first: Started at the authorization (Authorized)',
    startPoints: ['PowerPathClosed'],
    rows: [
      [plug(), '', ''],
      [auth(), 'Started Authorized #0 cs=SuspendedEVSE evse=1/1 id=TOKEN meter=begin', 'started,permitted:true'],
      [charging(), 'Updated ChargingStateChanged #1 cs=Charging', ''],
    ],
  },
  {
    title: 'E01.FR.06 TC_E_02 EnergyTransfer: no TE at the plug; Started when energy flows (ChargingStateChanged, Charging)',
    startPoints: ['EnergyTransfer'],
    rows: [
      [park(), '', ''],
      [auth(), '', ''],
      [plug(), '', 'permitted:true'],
      [signed(), '', ''],
      [charging('SuspendedEVSE'), '', ''],
      [charging('SuspendedEV'), '', ''],
      [charging(), 'Started ChargingStateChanged #0 cs=Charging evse=1/1 id=TOKEN meter=begin', 'started'],
      [charging('SuspendedEV'), 'Updated ChargingStateChanged #1 cs=SuspendedEV', ''],
    ],
  },
  {
    title: 'E01.FR.06 EnergyTransfer: energy reported before the authorization starts nothing (no authorized energy flow)',
    startPoints: ['EnergyTransfer'],
    rows: [
      [plug(), '', ''],
      [charging(), '', ''],
      [charging(null), '', ''],
      [auth(), '', 'permitted:true'],
      [charging(), 'Started ChargingStateChanged #0 cs=Charging evse=1/1 id=TOKEN meter=begin', 'started'],
    ],
  },
  {
    title: 'E01 time-of-use (EVConnected, Authorized): the earlier point starts, the later is an Updated',
    startPoints: ['EVConnected', 'Authorized'],
    rows: [
      [auth(), 'Started Authorized #0 cs=Idle evse=1 id=TOKEN meter=begin', 'started'],
      [plug(), 'Updated CablePluggedIn #1 cs=EVConnected evse=1/1', 'permitted:true'],
    ],
  },
  {
    title: 'E01 every TxStartPoint: the first fact of any point starts it, nothing starts twice',
    startPoints: [...TX_POINTS],
    rows: [
      [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin', 'started'],
      [park(), 'Updated EVDetected #1', ''],
      [auth(), 'Updated Authorized #2 cs=SuspendedEVSE id=TOKEN', 'permitted:true'],
      [signed(), '', ''],
      [charging(), 'Updated ChargingStateChanged #3 cs=Charging', ''],
    ],
  },
];

for (const c of START_CASES) {
  test(c.title, () => {
    const run = expectRows(assert, { startPoints: c.startPoints }, c.rows);
    assert.equal(run.context.started, true);
    assert.equal(run.context.ended, false);
  });
}

test('E01.FR.01–06 Part 6 §9 rule 1: a fact of a point that is not in TxStartPoint sends nothing', () => {
  const facts = { ParkingBayOccupancy: park(), EVConnected: plug(), Authorized: auth(), DataSigned: signed() } as const;
  for (const startPoint of TX_POINTS) {
    for (const [point, fact] of Object.entries(facts)) {
      if (point === startPoint) continue;
      const run = play({ startPoints: [startPoint] }, [fact]);
      assert.deepEqual(lines(run), [], `${point} with TxStartPoint ${startPoint}`);
      assert.equal(run.context.started, false);
    }
  }
});

test('E01.FR.08 E01.FR.07: the Started event carries the session id, the EVSE, the time of the fact and seqNo 0', () => {
  const run = play({ startPoints: ['EVConnected'] }, [{ ...plug(), at: '2026-03-04T05:06:07.000Z' }], {
    evseId: 3,
    transactionId: 'f00d',
  });
  const [started] = run.events;
  assert.ok(started);
  assert.equal(started.transactionId, 'f00d');
  assert.equal(started.evseId, 3);
  assert.deepEqual(started.evse, { id: 3, connectorId: 1 });
  assert.equal(started.timestamp, '2026-03-04T05:06:07.000Z');
  assert.equal(started.seqNo, 0);
  assert.equal(started.timeSpentCharging, 0);
  assert.equal(run.context.startedAt, '2026-03-04T05:06:07.000Z');
});

// F01.FR.19/25, F02.FR.01/21, Part 6 §2.1 and §9 rule 2: the first TransactionEvent after a
// RequestStartTransaction has triggerReason RemoteStart and the remoteStartId, whatever caused it;
// the ones after it say their own reason and carry no remoteStartId.
const REMOTE_CASES: Case[] = [
  {
    title: 'F02.FR.21 TC_F_02/03 ParkingBayOccupancy: the remote start during the transaction is Updated RemoteStart',
    startPoints: ['ParkingBayOccupancy'],
    rows: [
      [park(), 'Started EVDetected #0 cs=Idle evse=1 meter=begin'],
      [remoteStart(7), 'Updated RemoteStart #1 id=TOKEN rsi=7'],
      [plug(), 'Updated CablePluggedIn #2 cs=EVConnected evse=1/1'],
      [charging(), 'Updated ChargingStateChanged #3 cs=Charging'],
    ],
  },
  {
    title: 'F01.FR.19 TC_F_02 EVConnected, remote start first: the Started at the plug is RemoteStart with remoteStartId',
    startPoints: ['EVConnected'],
    rows: [
      [remoteStart(7), ''],
      [plug(), 'Started RemoteStart #0 cs=EVConnected evse=1/1 id=TOKEN rsi=7 meter=begin'],
      [charging(), 'Updated ChargingStateChanged #1 cs=Charging'],
    ],
  },
  {
    title: 'F01.FR.19 TC_F_01 EVConnected, cable first: the running transaction gets Updated RemoteStart',
    startPoints: ['EVConnected'],
    rows: [
      [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
      [remoteStart(7), 'Updated RemoteStart #1 id=TOKEN rsi=7'],
      [charging(), 'Updated ChargingStateChanged #2 cs=Charging'],
    ],
  },
  {
    title: 'F02.FR.01 TC_E_13 Authorized: the remote start is the Started event (RemoteStart, remoteStartId, idToken)',
    startPoints: ['Authorized'],
    rows: [
      [remoteStart(7), 'Started RemoteStart #0 cs=Idle evse=1 id=TOKEN rsi=7 meter=begin'],
      [plug(), 'Updated CablePluggedIn #1 cs=EVConnected evse=1/1'],
      [charging(), 'Updated ChargingStateChanged #2 cs=Charging'],
    ],
  },
  {
    title: 'F02.FR.21 TC_E_11 DataSigned: the signed reading starts it as RemoteStart',
    startPoints: ['DataSigned'],
    rows: [
      [remoteStart(7), ''],
      [plug(), ''],
      [signed(), 'Started RemoteStart #0 cs=EVConnected evse=1/1 id=TOKEN rsi=7 meter=begin'],
      [charging(), 'Updated ChargingStateChanged #1 cs=Charging'],
    ],
  },
  {
    title: 'F02.FR.21 TC_E_01 PowerPathClosed, remote first: the plug starts it as RemoteStart',
    startPoints: ['PowerPathClosed'],
    rows: [
      [remoteStart(7), ''],
      [plug(), 'Started RemoteStart #0 cs=SuspendedEVSE evse=1/1 id=TOKEN rsi=7 meter=begin'],
      [charging(), 'Updated ChargingStateChanged #1 cs=Charging'],
    ],
  },
  {
    title: 'F02.FR.21 TC_F_01 PowerPathClosed, cable first: the remote start starts it as RemoteStart',
    startPoints: ['PowerPathClosed'],
    rows: [
      [plug(), ''],
      [remoteStart(7), 'Started RemoteStart #0 cs=SuspendedEVSE evse=1/1 id=TOKEN rsi=7 meter=begin'],
    ],
  },
  {
    title: 'F02.FR.21 TC_E_02 EnergyTransfer: energy starts it as RemoteStart (Charging)',
    startPoints: ['EnergyTransfer'],
    rows: [
      [remoteStart(7), ''],
      [plug(), ''],
      [charging(), 'Started RemoteStart #0 cs=Charging evse=1/1 id=TOKEN rsi=7 meter=begin'],
      [charging('SuspendedEV'), 'Updated ChargingStateChanged #1 cs=SuspendedEV'],
    ],
  },
];

for (const c of REMOTE_CASES) {
  test(c.title, () => {
    expectRows(assert, { startPoints: c.startPoints }, c.rows);
  });
}

test('F01.FR.25 E01.FR.13 F02.FR.06: remoteStartId and reservationId go in the next event only', () => {
  expectRows(assert, { startPoints: ['Authorized'] }, [
    [remoteStart(9, TOKEN, { reservationId: 4 }), 'Started RemoteStart #0 cs=Idle evse=1 id=TOKEN rsi=9 res=4 meter=begin'],
    [plug(), 'Updated CablePluggedIn #1 cs=EVConnected evse=1/1'],
    [charging(), 'Updated ChargingStateChanged #2 cs=Charging'],
  ]);
  expectRows(assert, { startPoints: ['EVConnected'] }, [
    [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
    [auth(TOKEN, { reservationId: 3 }), 'Updated Authorized #1 id=TOKEN res=3'],
    [charging(), 'Updated ChargingStateChanged #2 cs=Charging'],
  ]);
});

// Once-only fields: evse with connectorId (E01.FR.16, Part 6 §2.1), the idToken (E03.FR.01,
// E02.FR.01/20, E01.FR.10), Transaction.Begin (E01.FR.09, only in Started).
test('E01.FR.16 Part 6 §2.1: evse.connectorId in the first event after the EV connected, not again', () => {
  const run = expectRows(assert, { startPoints: ['ParkingBayOccupancy'] }, [
    [park(), 'Started EVDetected #0 cs=Idle evse=1 meter=begin'],
    [plug(), 'Updated CablePluggedIn #1 cs=EVConnected evse=1/1'],
    [auth(), 'Updated Authorized #2 id=TOKEN'],
    [charging(), 'Updated ChargingStateChanged #3 cs=Charging'],
  ]);
  assert.equal(run.events.filter((e) => e.evse !== undefined).length, 2);
});

test('E01.FR.16 TC_E_26: the first event after the EV is connected again (re-plug) carries evse.connectorId again', () => {
  expectRows(assert, { stopPoints: ['Authorized'], stopTxOnEVSideDisconnect: false }, [
    ...CHARGED,
    [unplug(), 'Updated EVCommunicationLost #2 cs=Idle', 'permitted:false'],
    [plug(), 'Updated CablePluggedIn #3 cs=SuspendedEVSE evse=1/1', 'permitted:true'],
    [charging(), 'Updated ChargingStateChanged #4 cs=Charging', ''],
  ]);
});

test('E01.FR.14: while the EV is connected on one connector, a cable on another connector of the EVSE is not this session', () => {
  const run = expectRows(assert, { startPoints: ['EVConnected'], stopPoints: ['EVConnected'] }, [
    [plug(1), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
    [plug(2), ''],
    [unplug(2), ''],
    [plug(1), ''],
    [unplug(1), 'Ended EVCommunicationLost #1 cs=Idle sr=EVDisconnected meter=end'],
  ]);
  assert.equal(run.context.connectorId, 1);
});

test('E03.FR.01 E02.FR.01: the idToken goes in the first event after the authorization only', () => {
  for (const startPoints of [['EVConnected'], ['ParkingBayOccupancy'], ['Authorized'], ['PowerPathClosed']] as TxPoint[][]) {
    const run = play({ startPoints }, [park(), plug(), auth(), charging(), charging('SuspendedEV'), charging()]);
    const withToken = run.events.filter((e) => e.idToken !== undefined);
    assert.equal(withToken.length, 1, `${startPoints.join()}: ${lines(run).join(' / ')}`);
    assert.deepEqual(withToken[0]?.idToken, TOKEN);
    assert.equal(run.context.idTokenSeqNo, withToken[0]?.seqNo, 'its answer is the one checked (E05)');
  }
});

test('E01.FR.09: Transaction.Begin meter values only in the Started event', () => {
  for (const startPoint of TX_POINTS) {
    const run = play({ startPoints: [startPoint] }, [park(), auth(), plug(), signed(), charging(), charging('SuspendedEV'), charging()]);
    const begins = run.events.filter((e) => e.meter.includes('begin'));
    assert.equal(begins.length, 1, startPoint);
    assert.equal(begins[0]?.eventType, 'Started', startPoint);
  }
});

test('C01 TC_C_04: another token while authorized changes nothing; after the authorization ended only the same token authorizes again (C01.FR.23)', () => {
  expectRows(assert, { startPoints: ['EVConnected'], stopPoints: ['EVConnected'] }, [
    [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
    [auth(), 'Updated Authorized #1 id=TOKEN', 'permitted:true'],
    [auth(TOKEN2), '', ''],
    [charging(), 'Updated ChargingStateChanged #2 cs=Charging'],
    [stopBy(), 'Updated StopAuthorized #3 cs=EVConnected id=TOKEN', 'unlock:1,permitted:false'],
    [auth(TOKEN2), '', ''],
    [auth(TOKEN), 'Updated Authorized #4 id=TOKEN', 'permitted:true'],
  ]);
});

test('C01.FR.23 §C.1.1: the same idToken in other letter case authorizes again after the authorization ended', () => {
  const lower = { ...TOKEN, idToken: TOKEN.idToken.toLowerCase() };
  assert.notEqual(lower.idToken, TOKEN.idToken, 'the harness token has upper-case letters');
  expectRows(assert, { startPoints: ['EVConnected'], stopPoints: ['EVConnected'] }, [
    [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
    [auth(), 'Updated Authorized #1 id=TOKEN', 'permitted:true'],
    [stopBy(), 'Updated StopAuthorized #2 id=TOKEN', 'unlock:1,permitted:false'],
    [auth(lower), 'Updated Authorized #3 id=token', 'permitted:true'],
  ]);
});

test('C01.FR.23 does not hold back the first authorization of a transaction started without one, nor a remote start', () => {
  expectRows(assert, { startPoints: ['EVConnected'], stopPoints: ['EVConnected'] }, [
    [plug(), 'Started CablePluggedIn #0 cs=EVConnected evse=1/1 meter=begin'],
    [auth(TOKEN2), 'Updated Authorized #1 id=TOKEN2'],
    [stopBy(TOKEN2), 'Updated StopAuthorized #2 id=TOKEN2'],
    [remoteStart(5, TOKEN), 'Updated RemoteStart #3 id=TOKEN rsi=5'],
  ]);
});

test('C09: the groupIdToken of the authorization is kept for a stop by a group member', () => {
  const run = play({}, [auth(TOKEN, { groupIdToken: GROUP }), plug()]);
  assert.deepEqual(run.context.groupIdToken, GROUP);
  assert.deepEqual(run.context.idToken, TOKEN);
});

// E02.FR.13 / E01.FR.18: chargingState in Started, Ended, every ChargingStateChanged, and whenever it
// changed; not in an Updated whose state did not change.
test('E02.FR.13: chargingState is sent exactly when it changed, and always with Started, Ended and ChargingStateChanged', () => {
  const run = play({ startPoints: ['ParkingBayOccupancy'], stopPoints: ['ParkingBayOccupancy'] }, [
    park(),
    auth(),
    plug(),
    charging(),
    charging('SuspendedEV'),
    charging('SuspendedEV'),
    charging('SuspendedEVSE'),
    charging(),
    stopBy(),
    unplug(),
    { type: 'bay.vacated' },
  ]);
  assert.deepEqual(lines(run), [
    'Started EVDetected #0 cs=Idle evse=1 meter=begin',
    'Updated Authorized #1 id=TOKEN',
    'Updated CablePluggedIn #2 cs=EVConnected evse=1/1',
    'Updated ChargingStateChanged #3 cs=Charging',
    'Updated ChargingStateChanged #4 cs=SuspendedEV',
    'Updated ChargingStateChanged #5 cs=SuspendedEVSE',
    'Updated ChargingStateChanged #6 cs=Charging',
    'Updated StopAuthorized #7 cs=EVConnected id=TOKEN',
    'Updated EVCommunicationLost #8 cs=Idle',
    'Ended EVDeparted #9 cs=Idle sr=Local meter=end',
  ]);
  let last: string | undefined;
  for (const e of run.events) {
    if (e.eventType !== 'Updated' || e.triggerReason === 'ChargingStateChanged') assert.ok(e.chargingState, `${e.seqNo}`);
    else if (e.chargingState === undefined) assert.ok(last !== undefined, `${e.seqNo} omitted only when unchanged`);
    else assert.notEqual(e.chargingState, last, `${e.seqNo} sent only when changed`);
    last = e.chargingState ?? last;
  }
});

type StateFacts = Parameters<typeof chargingStateOf>[0];
const FACTS: StateFacts = {
  evConnected: true,
  authorized: true,
  ended: false,
  invalidId: null,
  lockFailed: false,
  faulted: false,
  hostState: null,
};

// Authorized and connected before the host reports energy: SuspendedEVSE only with TxStartPoint
// PowerPathClosed (Part 6 TC_E_01), else EVConnected (TC_E_10, TC_E_26 step 5).
const POWER_PATH = { settings: { startPoints: ['PowerPathClosed'] as TxPoint[] } };
const NO_POWER_PATH = { settings: { startPoints: ['EVConnected', 'Authorized'] as TxPoint[] } };

test('chargingStateOf: Idle without EV, EVConnected unauthorized or ended, SuspendedEVSE while withheld, else the host state; before it reports, SuspendedEVSE only with TxStartPoint PowerPathClosed (TC_E_01), else EVConnected (TC_E_10/26)', () => {
  const table: [Partial<StateFacts>, string][] = [
    [{ evConnected: false }, 'Idle'],
    [{ evConnected: false, hostState: 'Charging' }, 'Idle'],
    [{ evConnected: false, ...POWER_PATH }, 'Idle'],
    [{ authorized: false }, 'EVConnected'],
    [{ authorized: false, hostState: 'Charging' }, 'EVConnected'],
    [{ authorized: false, ...POWER_PATH }, 'EVConnected'],
    [{ ended: true, hostState: 'Charging' }, 'EVConnected'],
    [{}, 'EVConnected'],
    [NO_POWER_PATH, 'EVConnected'],
    [POWER_PATH, 'SuspendedEVSE'],
    [{ ...POWER_PATH, hostState: 'Charging' }, 'Charging'],
    [{ ...NO_POWER_PATH, hostState: 'SuspendedEVSE' }, 'SuspendedEVSE'],
    [{ ...NO_POWER_PATH, lockFailed: true }, 'SuspendedEVSE'],
    [{ hostState: 'Charging' }, 'Charging'],
    [{ hostState: 'SuspendedEV' }, 'SuspendedEV'],
    [{ hostState: 'SuspendedEVSE' }, 'SuspendedEVSE'],
    [{ hostState: 'Charging', invalidId: { suspended: true } }, 'SuspendedEVSE'],
    [{ hostState: 'Charging', invalidId: { suspended: false, untilWh: 500 } }, 'Charging'],
    [{ hostState: 'Charging', lockFailed: true }, 'SuspendedEVSE'],
    [{ hostState: 'Charging', faulted: true }, 'SuspendedEVSE'],
  ];
  for (const [patch, expected] of table) {
    assert.equal(chargingStateOf({ ...FACTS, ...patch }), expected, JSON.stringify(patch));
  }
});

test('C01.FR.01 chargingPermitted: authorized, EV connected, not ended, nothing withholds the energy', () => {
  const table: [Partial<StateFacts>, boolean][] = [
    [{}, true],
    [{ evConnected: false }, false],
    [{ authorized: false }, false],
    [{ ended: true }, false],
    [{ invalidId: { suspended: true } }, false],
    [{ invalidId: { suspended: false, untilWh: null } }, true],
    [{ lockFailed: true }, false],
    [{ faulted: true }, false],
  ];
  for (const [patch, expected] of table) {
    assert.equal(chargingPermitted({ ...FACTS, ...patch }), expected, JSON.stringify(patch));
  }
});

test('TC_G_20: a failed cable lock withholds the energy (SuspendedEVSE, sent when it changed; no charging, no TE while the state is unchanged)', () => {
  expectRows(assert, { startPoints: ['Authorized'] }, [
    [plug(), '', ''],
    [auth(), 'Started Authorized #0 cs=EVConnected evse=1/1 id=TOKEN meter=begin', 'started,permitted:true'],
    [lockFailed(), 'Updated ChargingStateChanged #1 cs=SuspendedEVSE', 'permitted:false'],
    [charging(), '', ''],
    [lockFailed(), '', ''],
  ]);
  expectRows(assert, {}, [
    ...CHARGED,
    [lockFailed(), 'Updated ChargingStateChanged #2 cs=SuspendedEVSE', 'permitted:false'],
  ]);
});

test('a session that never became a transaction is discarded when nothing of it is left, and then says nothing', () => {
  const table: [string, Fact[]][] = [
    ['plugged and unplugged', [plug(), unplug()]],
    ['authorized and stopped by the driver', [auth(), stopBy()]],
    ['parked and gone', [park(), unpark()]],
    ['remote stop before the start', [auth(), remoteStop()]],
    ['immediate reset before the start', [auth(), reset()]],
  ];
  for (const [title, facts] of table) {
    const run = play({}, facts);
    assert.equal(run.context.discarded, true, title);
    assert.equal(run.context.started, false, title);
    assert.deepEqual(lines(run), [], title);
    const after = drive(run.context, [park(), auth(), plug(), signed(), charging(), stopBy(), unplug()]);
    assert.deepEqual(lines(after), [], `${title}: nothing after`);
    assert.deepEqual(after.effects, [], `${title}: no effect after`);
  }
});

test('a session that is still waiting for something is not discarded', () => {
  for (const facts of [[plug()], [auth()], [park()], [plug(), auth(), stopBy()], [park(), plug(), unplug()]]) {
    const run = play({ startPoints: ['EnergyTransfer'] }, facts);
    assert.equal(run.context.discarded, false, facts.map((f) => f.type).join());
  }
});
