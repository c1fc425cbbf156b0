/**
 * The waits of a session: EVConnectionTimeOut (C01.FR.26, E03.FR.05/15, F02.FR.07/08, E10.FR.02),
 * the periodic, clock-aligned and TxEnded sample waits, and the power loss (`resumed`). First as
 * rows through the pure step function, then through the chart (machines/transaction.ts) with
 * `transition()` and with `createActor` and fake `deadline` / `alignedTick` actors: the chart arms
 * each wait with the absolute deadline in context and re-arms it when restored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, initialTransition, setup, transition, type ActorRefFrom } from 'xstate';
import type { AlignedTickInput, DeadlineInput } from '../../machines/deadline.js';
import { transactionMachine, type TxEffect, type TxEventParams } from '../../machines/transaction.js';
import type { TransactionEvent, TxPoint, TxSettings } from '../../machines/transaction-rules.js';
import {
  TOKEN,
  at,
  auth,
  charging,
  drive,
  expectRows,
  line,
  lines,
  park,
  play,
  plug,
  remoteStart,
  settings,
  stopBy,
  tick,
  unpark,
  type Expect,
} from './tx-rules-harness.js';

// Rows: the token comes at T0 + 1 s, so EVConnectionTimeOut (120 s) ends at T0 + 121 s.
const TIMEOUT = at(121);

interface Case {
  title: string;
  settings: Partial<TxSettings>;
  rows: Expect[];
  ended: boolean;
}

const TIMEOUT_CASES: Case[] = [
  {
    title: 'C01.FR.26 (errata 2.19): without a transaction the authorization just ends; the session is dropped',
    settings: { startPoints: ['PowerPathClosed'] },
    rows: [
      [auth(), '', ''],
      [tick('timer.evConnection', TIMEOUT), '', ''],
    ],
    ended: false,
  },
  {
    title: 'E03.FR.05 TC_E_39 TC_E_05 TxStart Authorized, TxStop Authorized: Ended EVConnectTimeout, Timeout, Idle',
    settings: { startPoints: ['Authorized'], stopPoints: ['Authorized'] },
    rows: [
      [auth(), 'Started Authorized #0 cs=Idle evse=1 id=TOKEN meter=begin', 'started'],
      [tick('timer.evConnection', TIMEOUT), 'Ended EVConnectTimeout #1 cs=Idle sr=Timeout meter=end', 'ended:Timeout'],
      [plug(), '', ''],
    ],
    ended: true,
  },
  {
    title: 'F02.FR.07 TC_F_04 remote start, TxStart Authorized: Ended EVConnectTimeout, Timeout',
    settings: { startPoints: ['Authorized'], stopPoints: ['EVConnected', 'Authorized'] },
    rows: [
      [remoteStart(7), 'Started RemoteStart #0 cs=Idle evse=1 id=TOKEN rsi=7 meter=begin', 'started'],
      [tick('timer.evConnection', TIMEOUT), 'Ended EVConnectTimeout #1 cs=Idle sr=Timeout meter=end', 'ended:Timeout'],
    ],
    ended: true,
  },
  {
    title: 'E03.FR.15 F02.FR.08 TC_E_39 TxStart and TxStop ParkingBayOccupancy: Updated EVConnectTimeout (deauthorized); a late plug does not charge; Ended at drive-out',
    settings: { startPoints: ['ParkingBayOccupancy'], stopPoints: ['ParkingBayOccupancy'] },
    rows: [
      [{ ...park(), at: at(0) }, 'Started EVDetected #0 cs=Idle evse=1 meter=begin', 'started'],
      [auth(), 'Updated Authorized #1 id=TOKEN', ''],
      [tick('timer.evConnection', TIMEOUT), 'Updated EVConnectTimeout #2', ''],
      [plug(), 'Updated CablePluggedIn #3 cs=EVConnected evse=1/1', ''],
      [charging(), '', ''],
      [unpark(), 'Ended EVDeparted #4 cs=EVConnected sr=Timeout meter=end', 'unlock:1,ended:Timeout'],
    ],
    ended: true,
  },
  {
    title: 'TC_E_05 step 3: after the timeout (ParkingBayOccupancy) the EVSE accepts a fresh authorization and charges',
    settings: { startPoints: ['ParkingBayOccupancy'], stopPoints: ['ParkingBayOccupancy'] },
    rows: [
      [{ ...park(), at: at(0) }, 'Started EVDetected #0 cs=Idle evse=1 meter=begin'],
      [auth(), 'Updated Authorized #1 id=TOKEN'],
      [tick('timer.evConnection', TIMEOUT), 'Updated EVConnectTimeout #2'],
      [{ ...auth(), at: at(200) }, 'Updated Authorized #3 id=TOKEN'],
      [plug(), 'Updated CablePluggedIn #4 cs=EVConnected evse=1/1', 'permitted:true'],
      [charging(), 'Updated ChargingStateChanged #5 cs=Charging', ''],
    ],
    ended: false,
  },
  {
    title: 'F02.FR.08 TC_F_04 (ParkingBayOccupancy): a second remote start after the timeout is an Updated RemoteStart',
    settings: { startPoints: ['ParkingBayOccupancy'], stopPoints: ['ParkingBayOccupancy'] },
    rows: [
      [{ ...park(), at: at(0) }, 'Started EVDetected #0 cs=Idle evse=1 meter=begin'],
      [remoteStart(7), 'Updated RemoteStart #1 id=TOKEN rsi=7'],
      [tick('timer.evConnection', TIMEOUT), 'Updated EVConnectTimeout #2'],
      [remoteStart(8), 'Updated RemoteStart #3 id=TOKEN rsi=8'],
      [plug(), 'Updated CablePluggedIn #4 cs=EVConnected evse=1/1'],
    ],
    ended: false,
  },
  {
    // Part 6 TC_E_05 keys Ended on "TxStop contains Authorized" and expects Updated here: the timeout
    // ends the transaction only where the end of the authorization ends it (Authorized,
    // PowerPathClosed, EnergyTransfer in TxStopPoint); with EVConnected it is only deauthorized.
    title: 'E03.FR.05 TC_E_05 TxStart Authorized, TxStop EVConnected: Updated EVConnectTimeout (deauthorized; the end of the authorization does not end the transaction here)',
    settings: { startPoints: ['Authorized'], stopPoints: ['EVConnected'] },
    rows: [
      [auth(), 'Started Authorized #0 cs=Idle evse=1 id=TOKEN meter=begin'],
      [tick('timer.evConnection', TIMEOUT), 'Updated EVConnectTimeout #1'],
    ],
    ended: false,
  },
  {
    // Part 6 TC_E_39 keys Updated on "TxStart = ParkingBayOccupancy"; Part 2 keys on TxStopPoint.
    title: 'E03.FR.05 TxStart ParkingBayOccupancy, TxStop Authorized: Ended EVConnectTimeout (TxStopPoint decides)',
    settings: { startPoints: ['ParkingBayOccupancy'], stopPoints: ['Authorized'] },
    rows: [
      [{ ...park(), at: at(0) }, 'Started EVDetected #0 cs=Idle evse=1 meter=begin'],
      [auth(), 'Updated Authorized #1 id=TOKEN'],
      [tick('timer.evConnection', TIMEOUT), 'Ended EVConnectTimeout #2 cs=Idle sr=Timeout meter=end'],
    ],
    ended: true,
  },
];

for (const c of TIMEOUT_CASES) {
  test(c.title, () => {
    const run = expectRows(assert, c.settings, c.rows);
    assert.equal(run.context.ended, c.ended);
    if (!run.context.started) assert.equal(run.context.discarded, true, 'a session without a transaction is dropped');
  });
}

test('C01/E03: the EVConnectionTimeOut wait: armed by an authorization without EV, cleared by the EV, by the end of the authorization, off at 0', () => {
  const table: [string, Partial<TxSettings>, Parameters<typeof play>[1], string | null][] = [
    ['authorized, no EV', {}, [auth()], at(121)],
    ['authorized then the EV', {}, [auth(), plug()], null],
    ['the EV then authorized', {}, [plug(), auth()], null],
    ['authorized then stopped', { startPoints: ['Authorized'], stopPoints: ['ParkingBayOccupancy'] }, [park(), auth(), stopBy()], null],
    ['EVConnectionTimeOut 0', { evConnectionTimeOutS: 0 }, [auth()], null],
    ['EVConnectionTimeOut 30', { evConnectionTimeOutS: 30 }, [auth()], at(31)],
    ['a second token does not move it', { startPoints: ['Authorized'] }, [auth(), auth()], at(121)],
    ['a socket cable left (E10.FR.01)', { stopTxOnEVSideDisconnect: false, stopPoints: ['Authorized'] }, [auth(), plug(), { type: 'ev.disconnected', connectorId: 1 }], null],
    ['a fixed cable left (E10.FR.02)', { stopTxOnEVSideDisconnect: false, stopPoints: ['Authorized'], fixedCableConnectors: [1] }, [auth(), plug(), { type: 'ev.disconnected', connectorId: 1 }], at(123)],
    ['the fixed cable came back', { stopTxOnEVSideDisconnect: false, stopPoints: ['Authorized'], fixedCableConnectors: [1] }, [auth(), plug(), { type: 'ev.disconnected', connectorId: 1 }, plug()], null],
  ];
  for (const [title, patch, facts, expected] of table) {
    assert.equal(play(patch, facts).context.evConnectionTimeoutAt, expected, title);
  }
});

test('E03.FR.15: after a timeout with ParkingBayOccupancy, a new authorization waits again', () => {
  const run = play({ startPoints: ['ParkingBayOccupancy'], stopPoints: ['ParkingBayOccupancy'] }, [
    { ...park(), at: at(0) },
    auth(),
    tick('timer.evConnection', TIMEOUT),
  ]);
  assert.equal(run.context.evConnectionTimeoutAt, null);
  const again = drive(run.context, [auth()], at(300));
  assert.equal(again.context.evConnectionTimeoutAt, at(420));
});

// PowerLoss and restart: `resumed` (docs/transactions.md "Durability and power loss").
test('resumed with ResumeTransactionsOnBoot true: the transaction goes on (same id, next seqNo); the host is told the permission again', () => {
  const before = play({ txUpdatedIntervalS: 60 }, [auth(), plug(), charging()]);
  const resumed = drive(before.context, [{ type: 'resumed', resumeTransactions: true, settings: settings({ txUpdatedIntervalS: 60 }) }], at(5000));
  assert.deepEqual(lines(resumed), []);
  assert.deepEqual(resumed.effects, [{ kind: 'permitted', permitted: true }]);
  assert.equal(resumed.context.transactionId, before.context.transactionId);
  assert.equal(resumed.context.nextPeriodicAt, at(62), 'the deadline is kept: the chart re-arms it');
  const next = drive(resumed.context, [tick('timer.periodic', at(5000)), stopBy()], at(5000));
  assert.deepEqual(lines(next), [
    'Updated MeterValuePeriodic #2 meter=periodic',
    'Ended StopAuthorized #3 cs=EVConnected id=TOKEN sr=Local meter=end',
  ]);
  assert.equal(next.context.seqNo, 4);
});

test('resumed with ResumeTransactionsOnBoot false: Ended AbnormalCondition PowerLoss, no idToken; a session without a transaction is dropped', () => {
  const before = play({}, [auth(), plug(), charging()]);
  const resumed = drive(before.context, [{ type: 'resumed', resumeTransactions: false, settings: settings() }], at(5000));
  assert.deepEqual(lines(resumed), ['Ended AbnormalCondition #2 cs=EVConnected sr=PowerLoss meter=end']);
  assert.equal(resumed.context.ended, true);
  for (const resumeTransactions of [true, false]) {
    const session = play({}, [auth()]);
    const dropped = drive(session.context, [{ type: 'resumed', resumeTransactions, settings: settings() }]);
    assert.equal(dropped.context.discarded, true);
    assert.deepEqual(lines(dropped), []);
  }
});

test('resumed applies the settings of the new run (a changed TxStopPoint)', () => {
  const before = play({ stopPoints: ['EVConnected'] }, [auth(), plug()]);
  const resumed = drive(before.context, [{ type: 'resumed', resumeTransactions: true, settings: settings({ stopPoints: ['Authorized'] }) }, stopBy()]);
  assert.deepEqual(lines(resumed), ['Ended StopAuthorized #1 cs=EVConnected id=TOKEN sr=Local meter=end']);
});

// ---- The chart around the rules ----------------------------------------------------------------

const INPUT = { evseId: 1, transactionId: 'tx-1', at: at(0) };

function spawned(actions: readonly { type: string; params?: unknown }[]) {
  return actions
    .filter((a) => a.type === 'xstate.spawnChild')
    .map((a) => {
      const { id, src, input } = a.params as { id: string; src: string; input: unknown };
      return { id, src, input };
    });
}

test('chart (transition): an authorization arms the EVConnectionTimeOut wait with its absolute deadline; its end drops the session', () => {
  const [s0] = initialTransition(transactionMachine, { ...INPUT, settings: settings() });
  assert.deepEqual(s0.value, { session: { evConnection: 'off' } });
  let [s, actions] = transition(transactionMachine, s0, { type: 'auth.accepted', idToken: TOKEN, at: at(1) });
  assert.deepEqual(s.value, { session: { evConnection: 'armed' } });
  assert.deepEqual(spawned(actions), [{ id: 'evConnection', src: 'deadline', input: { until: at(121) } }]);
  [s, actions] = transition(transactionMachine, s, { type: 'xstate.done.actor.evConnection', output: at(121) } as never);
  // (The region re-enters `armed` and leaves it in the same macrostep: a wait with no deadline is
  // spawned and stopped at once; nothing is armed.)
  assert.deepEqual(spawned(actions).filter((a) => (a.input as DeadlineInput).until !== null), [], 'not re-armed');
  assert.equal(s.value, 'discarded');
  assert.equal(s.status, 'done');
});

/** A fake deadline: each wait is kept until the test fires it; a stopped wait is forgotten. */
function fakeWaits() {
  const deadlines: { until: string | null; fire: (at: string) => void }[] = [];
  const ticks: { intervalS: number; fire: (at: string) => void }[] = [];
  const deadline = fromPromise<string, DeadlineInput>(
    ({ input, signal }) =>
      new Promise((resolve) => {
        const forget = () => deadlines.includes(entry) && deadlines.splice(deadlines.indexOf(entry), 1);
        const entry = { until: input.until, fire: (when: string) => (forget(), resolve(when)) };
        deadlines.push(entry);
        signal.addEventListener('abort', forget);
      }),
  );
  const alignedTick = fromPromise<string, AlignedTickInput>(
    ({ input, signal }) =>
      new Promise((resolve) => {
        const forget = () => ticks.includes(entry) && ticks.splice(ticks.indexOf(entry), 1);
        const entry = { intervalS: input.intervalS, fire: (when: string) => (forget(), resolve(when)) };
        ticks.push(entry);
        signal.addEventListener('abort', forget);
      }),
  );
  return { deadlines, ticks, actors: { deadline, alignedTick } };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

type Persisted = ReturnType<ReturnType<typeof createActor>['getPersistedSnapshot']>;

/**
 * Runs the chart as the EVSE does: as a child (it tells its parent when the transaction started and
 * when energy may flow), with fake waits. `snapshot`: a persisted snapshot of the parent to restore.
 */
function startChart(patch: Partial<TxSettings>, snapshot?: Persisted) {
  const waits = fakeWaits();
  const events: TxEventParams[] = [];
  const effects: TxEffect[] = [];
  const told: string[] = [];
  const machine = transactionMachine.provide({
    actors: waits.actors,
    actions: {
      transactionEvent: (_, params) => void events.push(params),
      effect: (_, params) => void effects.push(params.effect),
    },
  });
  const parent = setup({ actors: { transaction: machine } }).createMachine({
    invoke: { id: 'tx', src: 'transaction', input: { ...INPUT, settings: settings(patch) } },
    on: {
      'session.*': { actions: ({ event }) => void told.push(event.type) },
    },
  });
  const root = createActor(parent, snapshot ? { snapshot: snapshot as never } : {});
  root.start();
  const child = () => root.getSnapshot().children.tx as ActorRefFrom<typeof transactionMachine>;
  const send = (event: TransactionEvent) => child().send(event);
  /** Fires the waits armed until `until`, as if the station clock said `when` then. */
  const fire = async (until: string, when = until) => {
    const due = waits.deadlines.filter((d) => d.until === until);
    assert.ok(due.length > 0, `a wait until ${until} is armed (armed: ${waits.deadlines.map((d) => d.until).join(', ')})`);
    for (const d of due) d.fire(when);
    await settle();
  };
  const fireAligned = async (intervalS: number, when: string) => {
    const due = waits.ticks.filter((t) => t.intervalS === intervalS);
    assert.ok(due.length > 0, `an aligned wait of ${intervalS} s is armed`);
    for (const t of due) t.fire(when);
    await settle();
  };
  return { root, child, send, waits, events, effects, told, fire, fireAligned, lines: () => events.map(line) };
}

test('chart (actor) TC_E_39: the timeout of a started transaction sends Ended; the chart ends and its EVSE is told', async () => {
  const chart = startChart({ startPoints: ['Authorized'], stopPoints: ['Authorized'] });
  chart.send({ type: 'auth.accepted', idToken: TOKEN, at: at(1) });
  assert.equal((chart.child().getSnapshot().value as { transaction: { evConnection: string } }).transaction.evConnection, 'armed');
  await chart.fire(at(121));
  assert.deepEqual(chart.lines(), ['Started Authorized #0 cs=Idle evse=1 id=TOKEN meter=begin', 'Ended EVConnectTimeout #1 cs=Idle sr=Timeout meter=end']);
  assert.deepEqual(chart.told, ['session.started']);
  assert.equal(chart.child().getSnapshot().status, 'done', 'the chart reached its final state');
  assert.deepEqual(chart.waits.deadlines, []);
});

test('chart (actor): the regions follow the context (chargingState, authorization, waits)', () => {
  const chart = startChart({ txUpdatedIntervalS: 60, txEndedIntervalS: 30 });
  chart.send({ type: 'auth.accepted', idToken: TOKEN, at: at(1) });
  chart.send({ type: 'ev.connected', connectorId: 1, at: at(2) });
  chart.send({ type: 'charging.state', state: 'Charging', at: at(3) });
  assert.deepEqual(chart.child().getSnapshot().value, {
    transaction: {
      chargingState: 'Charging',
      authorization: 'authorized',
      evConnection: 'off',
      periodic: 'armed',
      endedSample: 'armed',
      clock: 'off',
      alignedEndedSample: 'off',
    },
  });
  assert.deepEqual(chart.told, ['session.started', 'session.permitted']);
  chart.send({ type: 'charging.state', state: 'SuspendedEV', at: at(4) });
  assert.equal((chart.child().getSnapshot().value as { transaction: { chargingState: string } }).transaction.chargingState, 'SuspendedEV');
  chart.root.stop();
});

test('chart (actor) J02.FR.11: the periodic wait runs from the start, sends MeterValuePeriodic and re-arms at the next grid point; it stops with Ended', async () => {
  const chart = startChart({ txUpdatedIntervalS: 60 });
  chart.send({ type: 'auth.accepted', idToken: TOKEN, at: at(1) });
  assert.deepEqual(chart.waits.deadlines.map((d) => d.until), [at(121)], 'EVConnectionTimeOut');
  chart.send({ type: 'ev.connected', connectorId: 1, at: at(2) });
  assert.deepEqual(chart.waits.deadlines.map((d) => d.until), [at(62)], 'the periodic wait only');
  await chart.fire(at(62));
  assert.deepEqual(chart.waits.deadlines.map((d) => d.until), [at(122)]);
  await chart.fire(at(122));
  chart.send({ type: 'auth.stop', idToken: TOKEN, reason: 'Local', at: at(130) });
  assert.deepEqual(chart.lines(), [
    'Started CablePluggedIn #0 cs=SuspendedEVSE evse=1/1 id=TOKEN meter=begin',
    'Updated MeterValuePeriodic #1 meter=periodic',
    'Updated MeterValuePeriodic #2 meter=periodic',
    'Ended StopAuthorized #3 cs=EVConnected id=TOKEN sr=Local meter=end',
  ]);
  assert.deepEqual(chart.waits.deadlines, [], 'no wait left after Ended');
  assert.equal(chart.child().getSnapshot().status, 'done', 'final');
});

test('chart (actor) J01.FR.22 J02: aligned waits run only during the transaction; clock TEs and TxEnded samples', async () => {
  const chart = startChart({ alignedIntervalS: 900, alignedTxEndedIntervalS: 300, txEndedIntervalS: 30 });
  chart.send({ type: 'auth.accepted', idToken: TOKEN, at: at(1) });
  assert.equal(chart.waits.ticks.length, 0, 'no aligned wait before the start');
  chart.send({ type: 'ev.connected', connectorId: 1, at: at(2) });
  assert.deepEqual(chart.waits.ticks.map((t) => t.intervalS).sort(), [300, 900]);
  await chart.fireAligned(900, at(900));
  await chart.fireAligned(300, at(300));
  await chart.fire(at(32));
  assert.deepEqual(chart.lines(), [
    'Started CablePluggedIn #0 cs=SuspendedEVSE evse=1/1 id=TOKEN meter=begin',
    'Updated MeterValueClock #1 meter=clock',
  ]);
  assert.deepEqual(
    chart.effects.filter((e) => e.kind === 'recordSample'),
    [
      { kind: 'recordSample', sample: 'clock' },
      { kind: 'recordSample', sample: 'periodic' },
    ],
  );
  chart.send({ type: 'reset.immediate', at: at(1000) });
  assert.deepEqual(chart.waits.ticks, []);
  assert.deepEqual(chart.waits.deadlines, []);
});

test('chart (actor) TC_E_27: a fixed cable not back in time: the wait armed at the EV-side disconnect ends the transaction', async () => {
  const chart = startChart({ stopTxOnEVSideDisconnect: false, stopPoints: ['Authorized'], fixedCableConnectors: [1] });
  chart.send({ type: 'auth.accepted', idToken: TOKEN, at: at(1) });
  chart.send({ type: 'ev.connected', connectorId: 1, at: at(2) });
  chart.send({ type: 'charging.state', state: 'Charging', at: at(3) });
  chart.send({ type: 'ev.disconnected', connectorId: 1, at: at(10) });
  await chart.fire(at(130));
  assert.deepEqual(chart.lines().slice(2), ['Updated EVCommunicationLost #2 cs=Idle', 'Ended EVConnectTimeout #3 cs=Idle sr=Timeout meter=end']);
  assert.equal(chart.child().getSnapshot().status, 'done', 'final');
});

test('chart (actor): a restored chart re-arms its waits for the same instants (restore is not a transition)', async () => {
  const first = startChart({ txUpdatedIntervalS: 60, startPoints: ['Authorized'] as TxPoint[] });
  first.send({ type: 'auth.accepted', idToken: TOKEN, at: at(1) });
  assert.deepEqual(first.waits.deadlines.map((d) => d.until).sort(), [at(121), at(61)].sort());
  const persisted = JSON.parse(JSON.stringify(first.root.getPersistedSnapshot())) as Persisted;
  first.root.stop();
  const second = startChart({ txUpdatedIntervalS: 60, startPoints: ['Authorized'] }, persisted);
  assert.deepEqual(second.waits.deadlines.map((d) => d.until).sort(), [at(121), at(61)].sort());
  assert.deepEqual(second.lines(), [], 'nothing is sent again');
  second.send({ type: 'resumed', at: at(3000), resumeTransactions: true, settings: settings({ txUpdatedIntervalS: 60, startPoints: ['Authorized'] }) });
  await second.fire(at(61), at(3000));
  assert.deepEqual(second.lines(), ['Updated MeterValuePeriodic #1 meter=periodic']);
  assert.equal(second.events[0]?.timestamp, at(3000), 'stamped when it fired');
  assert.deepEqual(second.waits.deadlines.map((d) => d.until).sort(), [at(121), at(3001)].sort(), 'the grid skips what passed');
  await second.fire(at(121));
  assert.deepEqual(second.lines().at(-1), 'Ended EVConnectTimeout #2 cs=Idle sr=Timeout meter=end');
  assert.equal(second.child().getSnapshot().status, 'done', 'final');
});
