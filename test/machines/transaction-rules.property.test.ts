/**
 * Properties of the transaction rules over long random sequences of facts and random settings
 * (fast-check): seqNo from 0 without gaps (E01.FR.07), Started first and Ended last, nothing after
 * Ended, chargingState sent whenever it changed (E02.FR.13), the once-only fields, the permission
 * told on every change, no unlock of a fixed cable. Waits fire only when armed and never before
 * their deadline, as the chart does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  TX_POINTS,
  chargingPermitted,
  chargingStateOf,
  initialTransactionContext,
  transactionStep,
  type TransactionContext,
  type TransactionEvent,
  type TxEventParams,
  type TxPoint,
  type TxSettings,
} from '../../machines/transaction-rules.js';
import { addSeconds } from '../../machines/deadline.js';
import { instantMs } from '../../machines/instant.js';
import { MASTER, T0, TOKEN, TOKEN2, line } from './tx-rules-harness.js';

type Tick = 'timer.evConnection' | 'timer.periodic' | 'timer.endedSample' | 'timer.clock' | 'timer.alignedEndedSample';
/** A fact without its time, or a tick of a wait (delivered only when armed). */
type Move = { fact: Omit<TransactionEvent, 'at'> } | { tick: Tick };

const token = fc.constantFrom(TOKEN, TOKEN2);
const connector = fc.constantFrom(1, 1, 1, 2);
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
// Weighted so that sessions run long: what ends a transaction whatever the settings (reset, fault,
// remote stop) is rare; energy, ticks and charging states are frequent.
const move: fc.Arbitrary<Move> = fc.oneof(
  w(4, connector.map((connectorId) => ({ fact: { type: 'ev.connected' as const, connectorId } }))),
  w(3, connector.map((connectorId) => ({ fact: { type: 'ev.disconnected' as const, connectorId } }))),
  w(2, fc.constant({ fact: { type: 'bay.occupied' as const } })),
  w(1, fc.constant({ fact: { type: 'bay.vacated' as const } })),
  w(4, token.map((idToken) => ({ fact: { type: 'auth.accepted' as const, idToken } }))),
  w(2, fc.nat(99).map((remoteStartId) => ({ fact: { type: 'auth.remoteStart' as const, idToken: TOKEN, remoteStartId } }))),
  w(
    2,
    fc.constantFrom(TOKEN, TOKEN2, MASTER).map((idToken) => ({
      fact: { type: 'auth.stop' as const, idToken, reason: idToken === MASTER ? ('MasterPass' as const) : ('Local' as const) },
    })),
  ),
  w(1, fc.constant({ fact: { type: 'remote.stop' as const } })),
  w(10, fc.constantFrom('Charging', 'SuspendedEV', 'SuspendedEVSE', null).map((state) => ({ fact: { type: 'charging.state' as const, state } }))),
  w(2, fc.constant({ fact: { type: 'meter.signed' as const } })),
  w(4, fc.nat(20_000).map((energyWh) => ({ fact: { type: 'meter.energy' as const, energyWh } }))),
  w(1, fc.constant({ fact: { type: 'connector.lockFailed' as const } })),
  w(1, fc.constant({ fact: { type: 'connector.faulted' as const } })),
  w(2, fc.constant({ fact: { type: 'connector.faultCleared' as const } })),
  w(
    4,
    fc
      .tuple(fc.nat(12), fc.constantFrom('Accepted', 'Accepted', 'Invalid', 'Blocked'))
      .map(([seqNo, status]) => ({ fact: { type: 'tx.answered' as const, seqNo, idTokenInfo: { status } } })),
  ),
  w(2, fc.constant({ fact: { type: 'trigger.transactionEvent' as const } })),
  w(1, fc.constant({ fact: { type: 'reset.immediate' as const } })),
  w(2, fc.constant({ fact: { type: 'host.start' as const } })),
  w(1, fc.constant({ fact: { type: 'host.finish' as const, reason: 'Local' as const } })),
  w(
    10,
    fc
      .constantFrom<Tick>('timer.evConnection', 'timer.periodic', 'timer.endedSample', 'timer.clock', 'timer.alignedEndedSample')
      .map((tick) => ({ tick })),
  ),
);

const points = fc.subarray([...TX_POINTS] as TxPoint[], { minLength: 1 });
const settingsArb: fc.Arbitrary<TxSettings> = fc.record({
  startPoints: points,
  stopPoints: points.map((p) => p.filter((x) => x !== 'DataSigned')).filter((p) => p.length > 0),
  evConnectionTimeOutS: fc.constantFrom(0, 30, 120),
  stopTxOnEVSideDisconnect: fc.boolean(),
  unlockOnEVSideDisconnect: fc.boolean(),
  stopTxOnInvalidId: fc.boolean(),
  maxEnergyOnInvalidIdWh: fc.constantFrom(0, 500),
  txUpdatedIntervalS: fc.constantFrom(0, 60),
  txEndedIntervalS: fc.constantFrom(0, 45),
  alignedIntervalS: fc.constantFrom(0, 900),
  alignedTxEndedIntervalS: fc.constantFrom(0, 300),
  fixedCableConnectors: fc.constantFrom<number[][]>([], [1], [2], [1, 2]).map((ids) => [...ids]),
  control: fc.constantFrom('library', 'library', 'library', 'host'),
}).map((settings) => ({ ...settings })); // a plain object, as JSON gives back

/** The deadline a tick waits for (null: not armed; aligned waits run while their interval is set). */
function armed(c: TransactionContext, tick: Tick): string | null | 'aligned' {
  const transaction = c.started && !c.ended;
  switch (tick) {
    case 'timer.evConnection':
      return c.evConnectionTimeoutAt;
    case 'timer.periodic':
      return transaction ? c.nextPeriodicAt : null;
    case 'timer.endedSample':
      return transaction ? c.nextEndedSampleAt : null;
    case 'timer.clock':
      return transaction && c.settings.alignedIntervalS > 0 ? 'aligned' : null;
    case 'timer.alignedEndedSample':
      return transaction && c.settings.alignedTxEndedIntervalS > 0 ? 'aligned' : null;
  }
}

interface Outcome {
  events: TxEventParams[];
  /** Context and events after each step. */
  steps: { context: TransactionContext; events: TxEventParams[]; effects: ReturnType<typeof transactionStep>['effects']; type: string; before: TransactionContext }[];
}

const OPENING = new Set(['ev.connected', 'bay.occupied', 'auth.accepted', 'auth.remoteStart', 'host.start']);

/**
 * Plays the moves as the EVSE does: a session opens on an opening fact (with the EVSE's facts as
 * they were), takes every fact until it ended or was dropped (one more fact is given to it to
 * check that it says nothing then), and the next opening fact opens the next session.
 */
function runMoves(settings: TxSettings, moves: readonly Move[], gaps: readonly number[]): Outcome[] {
  const sessions: Outcome[] = [];
  let c: TransactionContext | null = null;
  let current: Outcome | null = null;
  let now = T0;
  let ev: number | null = null;
  let parked = false;
  moves.forEach((m, i) => {
    now = addSeconds(now, gaps[i % gaps.length] ?? 1);
    let event: TransactionEvent;
    if ('tick' in m) {
      if (c === null) return;
      const until = armed(c, m.tick);
      if (until === null) return;
      // The chart fires a wait at its deadline, or later when the station was busy or down.
      if (until !== 'aligned' && instantMs(until) > instantMs(now)) now = until;
      event = { type: m.tick, at: now };
    } else {
      event = { ...m.fact, at: now } as TransactionEvent;
    }
    if (c === null && OPENING.has(event.type)) {
      c = initialTransactionContext({
        evseId: 1,
        transactionId: `tx-${sessions.length}`,
        settings,
        at: now,
        connectorId: ev,
        evConnected: ev !== null,
        parked,
      });
      current = { events: [], steps: [] };
      sessions.push(current);
    }
    // The EVSE's own facts.
    if (event.type === 'ev.connected' && ev === null) ev = event.connectorId;
    if (event.type === 'ev.disconnected' && ev === event.connectorId) ev = null;
    if (event.type === 'bay.occupied') parked = true;
    if (event.type === 'bay.vacated') parked = false;
    if (c === null || current === null) return;
    const before: TransactionContext = c;
    const step = transactionStep(before, event);
    c = step.context;
    current.events.push(...step.events);
    current.steps.push({ context: c, events: step.events, effects: step.effects, type: event.type, before });
    if (before.ended || before.discarded) c = null;
  });
  return sessions;
}

function check(settings: TxSettings, outcome: Outcome): void {
  const { events, steps } = outcome;
  const show = () => events.map(line).join('\n');
  // E01.FR.07: seqNo from 0, +1 each, without gaps.
  assert.deepEqual(
    events.map((e) => e.seqNo),
    events.map((_, i) => i),
    show(),
  );
  if (events.length > 0) assert.equal(events[0]?.eventType, 'Started', show());
  assert.equal(events.filter((e) => e.eventType === 'Started').length <= 1, true, show());
  const endedAt = events.findIndex((e) => e.eventType === 'Ended');
  if (endedAt >= 0) assert.equal(endedAt, events.length - 1, `Ended is the last event\n${show()}`);
  let lastChargingState: string | undefined;
  let needConnector = false;
  let lastTime = '';
  for (const [i, step] of steps.entries()) {
    const { context: c, before } = step;
    // Nothing after the Ended event (or after the session was dropped).
    if (before.ended || before.discarded) {
      assert.deepEqual(step.events, [], `after the end: ${step.type}`);
      assert.deepEqual(step.effects, [], `after the end: ${step.type}`);
      continue;
    }
    if (c.evConnected && !before.evConnected) needConnector = true;
    if (!c.evConnected) needConnector = false;
    for (const e of step.events) {
      assert.equal(e.transactionId, c.transactionId);
      assert.ok(e.timestamp >= lastTime, 'timestamps in order');
      lastTime = e.timestamp;
      if (e.eventType === 'Started') {
        assert.equal(e.evse?.id, 1, 'Started carries the EVSE');
        assert.ok(e.meter.includes('begin'));
      }
      if (e.eventType === 'Ended') {
        assert.ok(e.stoppedReason, 'E06.FR.08 stoppedReason');
        assert.deepEqual(e.meter, ['end']);
      }
      if (e.eventType !== 'Updated' || e.triggerReason === 'ChargingStateChanged' || e.triggerReason === 'Trigger') {
        assert.ok(e.chargingState, `chargingState in ${line(e)}`);
      }
      if (e.chargingState !== undefined && e.eventType === 'Updated' && e.triggerReason !== 'ChargingStateChanged' && e.triggerReason !== 'Trigger') {
        assert.notEqual(e.chargingState, lastChargingState, `sent only when changed: ${line(e)}\n${show()}`);
      }
      lastChargingState = e.chargingState ?? lastChargingState;
      // E01.FR.16: the first event after the EV connected names the connector.
      if (needConnector) {
        assert.equal(e.evse?.connectorId, c.connectorId ?? undefined, `E01.FR.16: ${line(e)}\n${show()}`);
        needConnector = false;
      }
      if (e.idToken !== undefined) {
        assert.ok(
          e.eventType === 'Started' || ['Authorized', 'RemoteStart', 'StopAuthorized'].includes(e.triggerReason),
          `idToken only with the authorization or its end: ${line(e)}`,
        );
      }
      if (e.remoteStartId !== undefined) assert.equal(e.triggerReason, 'RemoteStart');
    }
    // E02.FR.13: during the transaction the CSMS always knows the current chargingState.
    if (c.started && !c.ended) {
      assert.equal(c.chargingState, chargingStateOf(c), `chargingState changed silently at ${step.type}\n${show()}`);
    }
    // C01.FR.01: the host always knows whether energy may flow.
    assert.equal(c.permitted, chargingPermitted(c), `permitted at ${step.type}`);
    const told = step.effects.filter((e) => e.kind === 'permitted');
    assert.ok(told.length <= 1);
    if (told.length === 1) assert.notEqual(before.permitted, c.permitted, 'told only on a change');
    else assert.equal(before.permitted, c.permitted, `a change of permission is told (${step.type})`);
    // E06.FR.10: a permanently attached cable is never unlocked; one unlock per step at most.
    const unlocks = step.effects.filter((e) => e.kind === 'unlock');
    assert.ok(unlocks.length <= 1);
    for (const u of unlocks) assert.ok(u.kind === 'unlock' && !settings.fixedCableConnectors.includes(u.connectorId));
    // Ended comes with its effect; started likewise.
    assert.equal(step.effects.some((e) => e.kind === 'ended'), step.events.some((e) => e.eventType === 'Ended'));
    assert.equal(step.effects.some((e) => e.kind === 'started'), step.events.some((e) => e.eventType === 'Started'));
    assert.equal(c.seqNo, steps.slice(0, i + 1).reduce((n, s) => n + (s.before.ended || s.before.discarded ? 0 : s.events.length), 0));
  }
}

test('property E01.FR.07 E02.FR.13 E01.FR.16: random sessions keep seqNo contiguous and every field rule', () => {
  fc.assert(
    fc.property(settingsArb, fc.array(move, { minLength: 20, maxLength: 150, size: 'max' }), fc.array(fc.nat(200), { minLength: 1, maxLength: 8 }), (settings, moves, gaps) => {
      for (const session of runMoves(settings, moves, gaps)) check(settings, session);
    }),
    { numRuns: Number(process.env.TX_PROPERTY_RUNS ?? 400) },
  );
});

test('property: a session survives a JSON round trip at every step (context is JSON only)', () => {
  fc.assert(
    fc.property(settingsArb, fc.array(move, { minLength: 10, maxLength: 60, size: 'max' }), (settings, moves) => {
      for (const { steps } of runMoves(settings, moves, [7])) {
        for (const { context } of steps) assert.deepEqual(JSON.parse(JSON.stringify(context)), context);
      }
    }),
    { numRuns: 100 },
  );
});
