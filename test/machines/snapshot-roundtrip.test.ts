/**
 * Snapshots: for every state of the transaction, connector and EVSE charts that xstate/graph
 * reaches, the actor at that state is persisted (getPersistedSnapshot → JSON.stringify → JSON.parse)
 * and restored (createActor with `snapshot`), and the original and the restored actor are then fed
 * the same continuation on one simulated clock: they must continue exactly alike (state, context,
 * the TransactionEvents and other actions they run, the waits and StatusNotifications in flight).
 * DESIGN.md: "Restore is not a transition" — a restored actor runs no action, and re-arms the waits
 * it was in (same deadlines). A StatusNotification is an effect, not an invoked actor (issue 9): a
 * restore runs none again (a connector is stored with its report reset and hears `resumed`,
 * src/runtime/evse-snapshot-key.ts), so the calls in flight are answered before each snapshot
 * (test/machines/connector-restore-mid-send.test.ts restores a connector stored mid-send).
 *
 * The graph walks the production charts with their own transition function; each path is then
 * replayed on a live actor whose `deadline` and `alignedTick` actors and `statusNotification`
 * effect are fakes the test controls (test/machines/snapshot-fakes.ts), and the live actor must be where the
 * graph says at every step. The EVSE walk gives the EVSE's session child a controlled stand-in
 * (the graph cannot run a child); the EVSE with its real session is covered by scripted sessions
 * snapshotted after every step.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createActor,
  fromCallback,
  fromPromise,
  sendParent,
  setup,
  spawnChild,
  type AnyActorRef,
  type EventObject,
  type SnapshotFrom,
} from 'xstate';
import { connectorMachine, type ConnectorEvent } from '../../machines/connector.js';
import { connectorStatus } from '../../machines/connector-status.js';
import { connectorActorId, evseMachine, type EvseEvent } from '../../machines/evse.js';
import { SESSION_CHILD_ID, transactionActorId, transactionMachine } from '../../machines/transaction.js';
import type {
  TransactionContext,
  TransactionEvent,
  TransactionInput,
  TxSettings,
} from '../../machines/transaction-rules.js';
import { restorable } from '../../src/runtime/restorable.js';
import { FakeLink, FakeTime, flush } from './snapshot-fakes.js';
import type { AlignedTickInput, DeadlineInput } from '../../machines/deadline.js';
import type { IdTokenType } from '../../src/generated/ocpp-types.js';
import {
  T0,
  TOKEN_A,
  TX_PROFILES,
  txInput,
  txWalk,
  adjacencyWalk,
  graphLogic,
  transitionsOf,
  type TxPath,
} from './transaction-graph.js';
import { TX_SETTINGS } from './tx-settings-fixture.js';

type Log = unknown[];
const TOKEN_B: IdTokenType = { idToken: 'GRAPH-B', type: 'ISO14443' };

/** An actor that records what its children send it (the transaction chart tells its parent). */
function recordingParent(log: Log): AnyActorRef {
  return createActor(
    fromCallback<EventObject>(({ receive }) => {
      // A child that reached its final state says so under its (generated) actor id: not compared.
      receive(
        (event) =>
          void log.push([
            'toParent',
            event.type.startsWith('xstate.done.actor.') ? 'xstate.done.actor' : event,
          ]),
      );
    }),
  ).start();
}

/**
 * The fakes and logs of the case being run. The machines below are provided once per tree (a
 * provided machine is costly to build) and reach the current case through this.
 */
const world = {
  time: new FakeTime(T0),
  link: new FakeLink(),
  logs: { original: [] as Log, restored: [] as Log },
};

/** A new case: a clock at T0, no StatusNotification in flight, empty logs. */
function newCase(): { time: FakeTime; link: FakeLink; originalLog: Log; restoredLog: Log } {
  world.time = new FakeTime(T0);
  world.link = new FakeLink();
  world.logs = { original: [], restored: [] };
  return {
    time: world.time,
    link: world.link,
    originalLog: world.logs.original,
    restoredLog: world.logs.restored,
  };
}

type Tag = keyof typeof world.logs;
const record = (tag: Tag, entry: unknown) => void world.logs[tag].push(entry);

function once<T>(build: (tag: Tag) => T): (tag: Tag) => T {
  const built = new Map<Tag, T>();
  return (tag) => {
    if (!built.has(tag)) built.set(tag, build(tag));
    return built.get(tag) as T;
  };
}

const txTree = once((tag) =>
  transactionMachine.provide({
    actors: {
      deadline: fromPromise<string, DeadlineInput>((args) => world.time.startDeadline(tag, args)),
      alignedTick: fromPromise<string, AlignedTickInput>((args) => world.time.startAlignedTick(tag, args)),
    },
    actions: {
      transactionEvent: (_, params) => record(tag, ['transactionEvent', params]),
      effect: (_, params) => record(tag, ['effect', params]),
    },
  }),
);

const connectorTree = once((tag) =>
  connectorMachine.provide({
    actions: {
      statusNotification: (args, params) => world.link.action(tag)(args, params),
      operativeChanged: (_, params) => record(tag, ['connector.operativeChanged', params]),
      statusChanged: (_, params) => record(tag, ['connector.statusChanged', params]),
    },
  }),
);

/**
 * The EVSE's session child as the EVSE walk sees it: it records the facts routed to it and starts
 * (`test.start`: tells the EVSE session.started) or ends (`test.end`) when the test says.
 */
const sessionStandIn = setup({
  types: {
    context: {} as { transactionId: string; received: string[] },
    input: {} as TransactionInput,
    events: {} as EventObject,
  },
}).createMachine({
  id: 'sessionStandIn',
  context: ({ input }) => ({ transactionId: input.transactionId, received: [] }),
  initial: 'open',
  states: {
    open: {
      on: {
        'test.start': {
          actions: sendParent(({ context }) => ({
            type: 'session.started',
            transactionId: context.transactionId,
          })),
        },
        'test.end': 'closed',
        '*': {
          actions: ({ context, event }) => void context.received.push(event.type),
        },
      },
    },
    closed: { type: 'final' },
  },
});

const evseTrees = {
  'stand-in': once((tag) => evseTree(tag, sessionStandIn as unknown as typeof transactionMachine)),
  real: once((tag) => evseTree(tag, txTree(tag))),
};

function evseTree(tag: Tag, session: typeof transactionMachine) {
  return evseMachine.provide({
    actors: { connector: connectorTree(tag), transaction: session },
    actions: {
      operativeChanged: (_, params) => record(tag, ['evse.operativeChanged', params]),
      replyAvailability: (_, params) => record(tag, ['evse.replyAvailability', params]),
    },
  });
}

/**
 * An EVSE restored the way the station restores it: its root actor spawns `evse:<id>` from the
 * restorable() machine with the stored snapshot as `input.restore` (src/runtime/provide-machines.ts).
 * What the EVSE tells its parent is recorded in the restored tree's log.
 */
function restoreAsTheStationDoes(snapshot: unknown): AnyActorRef {
  const host = setup({ actors: { evse: restorable(evseTrees.real('restored')) } }).createMachine({
    entry: spawnChild('evse', { id: 'evse:1', systemId: 'evse:1', input: { restore: snapshot } as never }),
    on: {
      '*': {
        actions: ({ event }) =>
          record('restored', [
            'toParent',
            event.type.startsWith('xstate.done.actor.') ? 'xstate.done.actor' : event,
          ]),
      },
    },
  });
  const station = createActor(host);
  station.start();
  const evse = station.system.get('evse:1') as AnyActorRef | undefined;
  if (!evse) throw new Error('the station did not spawn evse:1');
  return evse;
}

/** getPersistedSnapshot → JSON → JSON.parse, as the station stores it. */
const persist = (actor: AnyActorRef): unknown => JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));

/** A twin pair: the original actor and the one restored from its persisted snapshot. */
interface Twins {
  original: AnyActorRef;
  restored: AnyActorRef;
  originalLog: Log;
  /** originalLog.length when the snapshot was taken. */
  mark: number;
  restoredLog: Log;
  /** restoredLog entries already compared. */
  checked: number;
}

/**
 * The original and the restored twin are alike now: status, state, context, what ran since the
 * last check, what is in flight; with `full`, also the persisted snapshots (children included).
 */
function assertAlike(
  twins: Twins,
  where: string,
  extra: (tag: string) => unknown = () => null,
  full = false,
): void {
  const a = twins.original.getSnapshot() as { status: string; value: unknown; context: unknown };
  const b = twins.restored.getSnapshot() as { status: string; value: unknown; context: unknown };
  assert.equal(b.status, a.status, `${where}: status`);
  assert.deepEqual(b.value, a.value, `${where}: state`);
  assert.deepEqual(b.context, a.context, `${where}: context`);
  assert.deepEqual(
    twins.restoredLog.slice(twins.checked),
    twins.originalLog.slice(twins.mark + twins.checked),
    `${where}: actions and events since the last step`,
  );
  assert.equal(twins.restoredLog.length, twins.originalLog.length - twins.mark, `${where}: as many actions`);
  twins.checked = twins.restoredLog.length;
  assert.deepEqual(extra('restored'), extra('original'), `${where}: in flight`);
  if (full)
    assert.deepEqual(
      persist(twins.restored),
      persist(twins.original),
      `${where}: persisted snapshot (children included)`,
    );
}

const stepName = (path: { steps: Array<{ event: { type: string } }> }) =>
  path.steps
    .slice(1)
    .map((s) => s.event.type)
    .join(' → ') || '(initial)';

// ---------------------------------------------------------------------------------------------
// Transaction chart

type TxContinuationStep =
  { advance: number } | ((c: TransactionContext, at: string) => TransactionEvent | undefined);

/** What happens after the snapshot: time, the driver, the EV, the CSMS, and two more restarts. */
const TX_CONTINUATION: TxContinuationStep[] = [
  { advance: 150 },
  (_c, at) => ({ type: 'charging.state', state: 'Charging', at, energyWh: 3000 }),
  { advance: 45 },
  (_c, at) => ({ type: 'meter.energy', at, energyWh: 9000 }),
  (c, at) =>
    c.idTokenSeqNo === null
      ? undefined
      : {
          type: 'tx.answered',
          seqNo: c.idTokenSeqNo,
          idTokenInfo: { status: 'Invalid' },
          at,
          energyWh: 9000,
        },
  (_c, at) => ({ type: 'trigger.transactionEvent', at }),
  { advance: 70 },
  (_c, at) => ({ type: 'ev.disconnected', connectorId: 1, at }),
  { advance: 130 },
  (_c, at) => ({ type: 'ev.connected', connectorId: 1, at }),
  (_c, at) => ({ type: 'auth.accepted', idToken: TOKEN_B, at }),
  (_c, at) => ({ type: 'bay.occupied', at }),
  (_c, at) => ({ type: 'charging.state', state: 'SuspendedEV', at }),
  (_c, at) => ({ type: 'resumed', at, resumeTransactions: true, settings: _c.settings }),
  (_c, at) => ({ type: 'remote.stop', at }),
  (_c, at) => ({ type: 'bay.vacated', at }),
  (_c, at) => ({ type: 'connector.faulted', at }),
  (_c, at) => ({ type: 'resumed', at, resumeTransactions: false, settings: _c.settings }),
  (_c, at) => ({ type: 'host.finish', reason: 'Local', at }),
  { advance: 7200 },
];

/** Replays a graph path on a live chart with fakes; it must be where the graph says at every step. */
async function replayTransaction(
  path: TxPath,
  settings: TxSettings,
  time: FakeTime,
  log: Log,
): Promise<AnyActorRef> {
  const actor = createActor(txTree('original'), { input: txInput(settings), parent: recordingParent(log) });
  actor.start();
  for (const step of path.steps.slice(1)) {
    const event = step.event;
    if ('output' in event) {
      const firedAt = await time.fire('original', event.type.slice('xstate.done.actor.'.length));
      assert.equal(firedAt, event.output, 'the wait ends when the graph says');
    } else {
      time.setNow((event as { at: string }).at);
      actor.send(event);
      await flush();
    }
    const snapshot = actor.getSnapshot();
    assert.deepEqual(snapshot.value, step.state.value, `${stepName(path)}: live state after ${event.type}`);
    assert.deepEqual(
      snapshot.context,
      step.state.context,
      `${stepName(path)}: live context after ${event.type}`,
    );
  }
  return actor;
}

async function transactionRoundTrip(path: TxPath, settings: TxSettings): Promise<number> {
  const { time, originalLog, restoredLog } = newCase();
  const original = await replayTransaction(path, settings, time, originalLog);
  const restored = createActor(txTree('restored'), {
    snapshot: persist(original),
    parent: recordingParent(restoredLog),
  } as never);
  restored.start();
  await flush();
  const twins: Twins = { original, restored, originalLog, mark: originalLog.length, restoredLog, checked: 0 };
  const where = stepName(path);
  if (original.getSnapshot().status === 'done') {
    // xstate: an actor restored in its final state tells its parent again that it is done (in the
    // station a session that is done is no longer a child of its EVSE, so this never happens there).
    assert.deepEqual(restoredLog.splice(0), [['toParent', 'xstate.done.actor']], `${where}: restored done`);
  }
  assert.deepEqual(restoredLog, [], `${where}: restoring runs no action (restore is not a transition)`);
  assertAlike(twins, `${where}, restored`, (tag) => time.pending(tag), true);
  let steps = 0;
  for (const step of TX_CONTINUATION) {
    if ('advance' in step) {
      await time.advanceBy(step.advance);
    } else {
      await time.advanceBy(1);
      const event = step(original.getSnapshot().context as TransactionContext, time.nowIso);
      if (event === undefined) continue;
      original.send(event);
      restored.send(event);
      await flush();
    }
    steps += 1;
    assertAlike(twins, `${where}, continuation step ${steps}`, (tag) => time.pending(tag));
    // Both are over (ended or discarded): nothing moves them any more.
    if (original.getSnapshot().status === 'done') break;
  }
  assertAlike(twins, `${where}, end of the continuation`, (tag) => time.pending(tag), true);
  // (Actors with a parent cannot be stopped from outside; nothing of theirs runs on: the fakes hold no timers.)
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Connector chart

type ConnectorSnapshot = SnapshotFrom<typeof connectorMachine>;
type ConnectorGraphEvent = ConnectorEvent | { type: string; output?: unknown; error?: unknown };

function connectorGraphEvents(snapshot: ConnectorSnapshot): ConnectorGraphEvent[] {
  const events: ConnectorGraphEvent[] = [
    { type: 'hw.plugged' },
    { type: 'hw.unplugged' },
    { type: 'hw.faulted' },
    { type: 'hw.faultCleared' },
    { type: 'availability.effective', operative: false },
    { type: 'availability.effective', operative: true },
    { type: 'reservation.changed', reserved: true },
    { type: 'reservation.changed', reserved: false },
    { type: 'link', canSend: true },
    { type: 'link', canSend: false },
    { type: 'status.resync' },
    { type: 'resumed' },
  ];
  const { callId: id, inFlight } = snapshot.context;
  if (inFlight !== null) {
    // The CSMS acknowledged the status being sent, or the send failed.
    events.push({ type: 'statusNotification.done', id, output: inFlight });
    events.push({ type: 'statusNotification.error', id, error: 'not acknowledged' });
  }
  return events;
}

/**
 * What the connector walk tells states apart by: its state and facts, and of the status last
 * acknowledged (or in flight) only whether it is the current one (which one it was adds nothing).
 */
function connectorAbstractState(snapshot: ConnectorSnapshot): string {
  // The call's id only tells calls apart (it grows with every call): not part of the state.
  const { callId: _callId, inFlight, ...c } = snapshot.context;
  const current = connectorStatus(c);
  return JSON.stringify([
    snapshot.value,
    { ...c, reported: c.reported === null ? null : c.reported === current },
    inFlight === null ? null : inFlight === current,
  ]);
}

type ConnectorContinuationStep = ConnectorEvent | { settle: boolean };
const CONNECTOR_CONTINUATION: ConnectorContinuationStep[] = [
  { settle: true },
  { type: 'hw.plugged' },
  { settle: true },
  { type: 'link', canSend: false },
  { type: 'hw.unplugged' },
  { type: 'link', canSend: true },
  { settle: true },
  { type: 'status.resync' },
  { settle: false },
  { type: 'hw.faulted' },
  { type: 'availability.effective', operative: false },
  { settle: true },
  { type: 'reservation.changed', reserved: true },
  { type: 'hw.faultCleared' },
  { type: 'availability.effective', operative: true },
  { settle: true },
  { type: 'resumed' },
  { type: 'link', canSend: true },
  { settle: true },
  { type: 'reservation.changed', reserved: false },
  { settle: true },
];

// ---------------------------------------------------------------------------------------------
// EVSE chart

type EvseSnapshot = SnapshotFrom<typeof evseMachine>;
const EVSE_INPUT = { evseId: 1, connectorIds: [1, 2], txSettings: TX_SETTINGS };
const GRAPH_TX = 'tx-graph';

function evseGraphEvents(snapshot: EvseSnapshot): Array<EvseEvent | { type: string }> {
  const at = T0;
  const txId = GRAPH_TX;
  const c = snapshot.context;
  const events: Array<EvseEvent | { type: string }> = [
    { type: 'hw.plugged', connectorId: 1, at, txId },
    { type: 'hw.plugged', connectorId: 2, at, txId },
    { type: 'hw.unplugged', connectorId: 1, at },
    { type: 'hw.evDisconnected', connectorId: 1, at },
    { type: 'hw.parked', at, txId },
    { type: 'hw.unparked', at },
    { type: 'hw.faulted', connectorId: 2, at },
    { type: 'hw.faultCleared', connectorId: 2, at },
    { type: 'auth.accepted', idToken: TOKEN_A, at, txId },
    { type: 'csms.changeAvailability', operative: false },
    { type: 'csms.changeAvailability', operative: true },
    { type: 'csms.changeAvailability', connectorId: 2, operative: false },
    { type: 'csms.changeAvailability', connectorId: 2, operative: true },
    { type: 'csms.changeAvailability', connectorId: 3, operative: false },
    { type: 'availability.station', operative: false },
    { type: 'availability.station', operative: false, whenIdle: true },
    { type: 'availability.station', operative: true },
    { type: 'resumed', at, resumeTransactions: false, settings: TX_SETTINGS },
  ];
  // What the session child tells the EVSE: its transaction started; it is over.
  if (c.session === txId && !c.transactionActive)
    events.push({ type: 'session.started', transactionId: txId });
  if (c.session === txId) events.push({ type: `xstate.done.actor.${SESSION_CHILD_ID}` });
  return events;
}

/** What the EVSE walk tells states apart by: its context, a connector set Operative being the same as one never set. */
function evseAbstractState(snapshot: EvseSnapshot): string {
  const c = snapshot.context;
  const inoperative = (levels: Record<string, boolean>) =>
    Object.entries(levels)
      .filter(([, operative]) => !operative)
      .map(([id]) => id)
      .sort();
  return JSON.stringify([
    c.stationOperative,
    c.evseOperative,
    inoperative(c.connectorOperative),
    c.scheduled.station ?? null,
    c.scheduled.evse ?? null,
    inoperative(c.scheduled.connectors),
    c.session !== null,
    c.transactionActive,
    c.evConnectedOn,
    c.parked,
  ]);
}

/** `link`: what the station tells the EVSE's connectors directly (machines/station.ts broadcastLink). */
type EvseContinuationStep =
  EvseEvent | { settle: boolean } | { session: 'start' | 'end' } | { advance: number } | { link: boolean };

/** After the snapshot: a session with availability changes held back and applied, a restart, faults, the link. */
const EVSE_CONTINUATION: EvseContinuationStep[] = [
  { link: true },
  { settle: true },
  { type: 'hw.plugged', connectorId: 1, at: T0, txId: 'tx-continued' },
  { session: 'start' },
  { type: 'csms.changeAvailability', operative: false },
  { type: 'csms.changeAvailability', connectorId: 2, operative: false },
  { type: 'availability.station', operative: false, whenIdle: true },
  { session: 'end' },
  { settle: true },
  { type: 'hw.unplugged', connectorId: 1, at: T0 },
  { type: 'availability.station', operative: true },
  { type: 'csms.changeAvailability', operative: true },
  { type: 'resumed', at: T0, resumeTransactions: false, settings: TX_SETTINGS },
  { type: 'hw.faulted', connectorId: 2, at: T0 },
  { link: true },
  { settle: true },
];

/** Runs one continuation step on both twins (or on the original only, while replaying a prefix). */
async function evseStep(
  step: EvseContinuationStep,
  actors: Array<{ actor: AnyActorRef; tag: string }>,
  time: FakeTime,
  link: FakeLink,
): Promise<void> {
  if ('settle' in step) {
    for (const { tag } of actors) await link.settle(tag, step.settle);
    return;
  }
  if ('advance' in step) {
    await time.advanceBy(step.advance);
    return;
  }
  if ('link' in step) {
    for (const { actor } of actors) {
      const { evseId, connectorIds } = (actor.getSnapshot() as EvseSnapshot).context;
      for (const connectorId of connectorIds) {
        actor.system.get(connectorActorId(evseId, connectorId))?.send({ type: 'link', canSend: step.link });
      }
    }
    await flush();
    return;
  }
  if ('session' in step) {
    const context = (actors[0]?.actor.getSnapshot() as EvseSnapshot).context;
    if (context.session === null || (step.session === 'start' && context.transactionActive)) return;
    for (const { actor } of actors) {
      actor.system
        .get(transactionActorId(context.session))
        ?.send({ type: step.session === 'start' ? 'test.start' : 'test.end' });
    }
    await flush();
    return;
  }
  // A station time that runs forward: events happen a second apart.
  await time.advanceBy(1);
  const event = 'at' in step ? { ...step, at: time.nowIso } : step;
  for (const { actor } of actors) actor.send(event);
  await flush();
}

// ---------------------------------------------------------------------------------------------

describe('Snapshots: every state xstate/graph reaches is persisted, restored and continues exactly like the original', () => {
  test('transaction chart (machines/transaction.ts), five settings profiles', async (t) => {
    let states = 0;
    let continuationSteps = 0;
    const values = new Set<string>();
    const edges = new Set<string>();
    for (const [profile, settings] of Object.entries(TX_PROFILES)) {
      const { paths, transitions } = txWalk(settings);
      for (const path of paths) {
        values.add(JSON.stringify(path.state.value));
        continuationSteps += await transactionRoundTrip(path, settings);
      }
      for (const edge of transitions) edges.add(edge);
      states += paths.length;
      t.diagnostic(
        `${profile}: ${paths.length} graph states round-tripped (${transitions.size} state-level transitions between them)`,
      );
    }
    t.diagnostic(
      `transaction: ${states} graph states round-tripped, ${values.size} distinct state values, ${edges.size} state-level transitions found; ${continuationSteps} continuation steps compared`,
    );
    // Every region of the chart was reached: session (both wait states), the five charging states,
    // both authorization states, every wait armed, ended and discarded.
    const seen = [...values].join('\n');
    for (const part of [
      '"session":{"evConnection":"armed"}',
      '"session":{"evConnection":"off"}',
      '"ended"',
      '"discarded"',
      '"authorization":"unauthorized"',
      '"evConnection":"armed"',
      '"periodic":"armed"',
      '"endedSample":"armed"',
      '"clock":"armed"',
      '"alignedEndedSample":"armed"',
    ]) {
      assert.ok(seen.includes(part), `the walk reaches ${part}`);
    }
    for (const chargingState of ['Idle', 'EVConnected', 'Charging', 'SuspendedEV', 'SuspendedEVSE']) {
      assert.ok(
        seen.includes(`"chargingState":"${chargingState}"`),
        `the walk reaches chargingState ${chargingState}`,
      );
    }
  });

  test('connector chart (machines/connector.ts)', async (t) => {
    const { paths, adjacency } = adjacencyWalk(connectorMachine, {
      input: { evseId: 1, connectorId: 1 },
      events: connectorGraphEvents as never,
      serializeState: connectorAbstractState as never,
    });
    const transitions = transitionsOf(adjacency, (state) => JSON.stringify(state.value));
    const values = new Set(paths.map((p) => JSON.stringify(p.state.value)));
    let continuationSteps = 0;
    for (const path of paths) {
      const { link, originalLog, restoredLog } = newCase();
      const original = createActor(connectorTree('original'), { input: { evseId: 1, connectorId: 1 } });
      original.start();
      for (const step of path.steps.slice(1)) {
        const type = step.event.type;
        if (type === 'statusNotification.done') await link.settle('original', true);
        else if (type === 'statusNotification.error') await link.settle('original', false);
        else {
          original.send(step.event as ConnectorEvent);
          await flush();
        }
        assert.deepEqual(original.getSnapshot().value, step.state.value, `${stepName(path)}: live state`);
        assert.deepEqual(
          original.getSnapshot().context,
          step.state.context,
          `${stepName(path)}: live context`,
        );
      }
      // A connector stored mid-send is stored reset and waits for `resumed` (evse-snapshot-key.ts): no
      // call is re-run on restore, so the calls in flight are answered before the snapshot (the
      // mid-send path, stored as the station stores it: connector-restore-mid-send.test.ts).
      await link.settleAll('original');
      const restored = createActor(connectorTree('restored'), { snapshot: persist(original) } as never);
      restored.start();
      await flush();
      const twins: Twins = {
        original,
        restored,
        originalLog,
        mark: originalLog.length,
        restoredLog,
        checked: 0,
      };
      assert.deepEqual(restoredLog, [], `${stepName(path)}: restoring runs no action`);
      assertAlike(twins, `${stepName(path)}, restored`, (tag) => link.pending(tag), true);
      for (const [i, step] of CONNECTOR_CONTINUATION.entries()) {
        if ('settle' in step) {
          await link.settle('original', step.settle);
          await link.settle('restored', step.settle);
        } else {
          original.send(step);
          restored.send(step);
          await flush();
        }
        continuationSteps += 1;
        assertAlike(twins, `${stepName(path)}, continuation step ${i + 1}`, (tag) => link.pending(tag));
      }
      assertAlike(twins, `${stepName(path)}, end of the continuation`, (tag) => link.pending(tag), true);
      // (Actors with a parent cannot be stopped from outside; nothing of theirs runs on: the fakes hold no timers.)
    }
    t.diagnostic(
      `connector: ${paths.length} graph states round-tripped, ${values.size} distinct state values, ${transitions.size} state-level transitions found; ${continuationSteps} continuation steps compared`,
    );
    assert.ok(values.size >= 10, 'statuses × report states');
  });

  test('EVSE chart (machines/evse.ts): real connectors, the session child a controlled stand-in', async (t) => {
    const { paths, adjacency } = adjacencyWalk(graphLogic(evseMachine, { systemPerStep: true }), {
      input: EVSE_INPUT,
      events: evseGraphEvents as never,
      serializeState: evseAbstractState as never,
      filterEvents: (_snapshot, event) =>
        event.type !== 'session.permitted' && !event.type.startsWith('xstate.done.actor.connector'),
    });
    let continuationSteps = 0;
    const contexts = new Set<string>();
    const transitions = [
      ...transitionsOf(adjacency, (state) => evseAbstractState(state as EvseSnapshot)),
    ].filter((edge) => edge.split(' --')[0] !== edge.split('--> ')[1]);
    for (const path of paths) {
      contexts.add(JSON.stringify(path.state.context));
      const { time, link, originalLog, restoredLog } = newCase();
      const original = createActor(evseTrees['stand-in']('original'), {
        input: EVSE_INPUT,
        parent: recordingParent(originalLog),
      });
      original.start();
      for (const step of path.steps.slice(1)) {
        const type = step.event.type;
        if (type === 'session.started')
          await evseStep({ session: 'start' }, [{ actor: original, tag: 'original' }], time, link);
        else if (type.startsWith('xstate.done.actor.'))
          await evseStep({ session: 'end' }, [{ actor: original, tag: 'original' }], time, link);
        else {
          original.send(step.event as EvseEvent);
          await flush();
        }
        assert.deepEqual(
          original.getSnapshot().context,
          step.state.context,
          `${stepName(path)}: live EVSE context after ${type}`,
        );
      }
      await link.settleAll('original');
      const restored = createActor(evseTrees['stand-in']('restored'), {
        snapshot: persist(original),
        parent: recordingParent(restoredLog),
      } as never);
      restored.start();
      await flush();
      const twins: Twins = {
        original,
        restored,
        originalLog,
        mark: originalLog.length,
        restoredLog,
        checked: 0,
      };
      const inFlight = (tag: string) => [link.pending(tag), time.pending(tag)];
      assert.deepEqual(restoredLog, [], `${stepName(path)}: restoring runs no action`);
      assertAlike(twins, `${stepName(path)}, restored`, inFlight, true);
      for (const [i, step] of EVSE_CONTINUATION.entries()) {
        await evseStep(
          step,
          [
            { actor: original, tag: 'original' },
            { actor: restored, tag: 'restored' },
          ],
          time,
          link,
        );
        continuationSteps += 1;
        assertAlike(twins, `${stepName(path)}, continuation step ${i + 1}`, inFlight);
      }
      assertAlike(twins, `${stepName(path)}, end of the continuation`, inFlight, true);
      // (Actors with a parent cannot be stopped from outside; nothing of theirs runs on: the fakes hold no timers.)
    }
    t.diagnostic(
      `EVSE: ${paths.length} graph states round-tripped (distinct contexts: ${contexts.size}), ${transitions.length} transitions between them found; ${continuationSteps} continuation steps compared`,
    );
    assert.ok(paths.length > 50);
  });

  test('EVSE with its real session and connectors: snapshotted after every step of scripted sessions', async (t) => {
    const answered = (accepted: boolean): EvseContinuationStep =>
      ({ type: 'tx.answered.test', accepted }) as never;
    const scripts: Array<{
      name: string;
      settings: TxSettings;
      connectorIds: number[];
      steps: EvseContinuationStep[];
    }> = [
      {
        name: 'plug, authorize, charge, a scheduled ChangeAvailability, stop by token, unplug',
        settings: TX_PROFILES['PowerPathClosed / EVConnected,Authorized'] as TxSettings,
        connectorIds: [1],
        steps: [
          { link: true },
          { settle: true },
          { type: 'hw.plugged', connectorId: 1, at: T0, txId: 'tx-script-1' },
          { type: 'auth.accepted', idToken: TOKEN_A, at: T0, txId: 'tx-script-1' },
          { settle: true },
          { type: 'hw.chargingState', state: 'Charging', at: T0, energyWh: 1000 },
          { advance: 61 },
          { type: 'csms.changeAvailability', operative: false },
          answered(false),
          { type: 'hw.chargingState', state: 'SuspendedEV', at: T0 },
          { advance: 40 },
          { type: 'auth.stop', idToken: TOKEN_A, reason: 'Local', at: T0 },
          { settle: true },
          { type: 'hw.unplugged', connectorId: 1, at: T0 },
          { settle: true },
        ],
      },
      {
        name: 'bay, fixed cable pulled at the EV, EVConnectionTimeOut, bay vacated',
        settings: TX_PROFILES['Authorized,EVConnected / ParkingBayOccupancy'] as TxSettings,
        connectorIds: [1],
        steps: [
          { link: true },
          { type: 'hw.parked', at: T0, txId: 'tx-script-2' },
          { type: 'hw.plugged', connectorId: 1, at: T0, txId: 'tx-script-2' },
          { settle: true },
          { type: 'auth.accepted', idToken: TOKEN_A, at: T0, txId: 'tx-script-2' },
          answered(false),
          { type: 'hw.chargingState', state: 'Charging', at: T0, energyWh: 500 },
          { type: 'hw.energy', at: T0, energyWh: 1600 },
          { type: 'hw.evDisconnected', connectorId: 1, at: T0 },
          { settle: true },
          { advance: 100 },
          { type: 'hw.plugged', connectorId: 1, at: T0, txId: 'tx-script-2' },
          { type: 'hw.unparked', at: T0 },
          { settle: true },
        ],
      },
    ];
    const tail: EvseContinuationStep[] = [
      { type: 'resumed', at: T0, resumeTransactions: true, settings: TX_SETTINGS },
      { link: true },
      { settle: true },
      { advance: 3600 },
      { type: 'resumed', at: T0, resumeTransactions: false, settings: TX_SETTINGS },
      { settle: true },
    ];
    /** tx.answered goes straight to the session (src/runtime/transaction-effects.ts does the same). */
    async function run(
      step: EvseContinuationStep,
      actors: Array<{ actor: AnyActorRef; tag: string }>,
      time: FakeTime,
      link: FakeLink,
    ) {
      if ((step as { type?: string }).type !== 'tx.answered.test') return evseStep(step, actors, time, link);
      await time.advanceBy(1);
      const evse = (actors[0]?.actor.getSnapshot() as EvseSnapshot).context;
      if (evse.session === null) return;
      const session = actors[0]?.actor.system.get(transactionActorId(evse.session));
      const seqNo = (session?.getSnapshot() as { context: TransactionContext }).context.idTokenSeqNo;
      if (seqNo === null) return;
      const accepted = (step as unknown as { accepted: boolean }).accepted;
      for (const { actor } of actors) {
        actor.system.get(transactionActorId(evse.session))?.send({
          type: 'tx.answered',
          seqNo,
          idTokenInfo: { status: accepted ? 'Accepted' : 'Invalid' },
          at: time.nowIso,
        } satisfies TransactionEvent);
      }
      await flush();
    }
    let snapshots = 0;
    let continuationSteps = 0;
    for (const script of scripts) {
      const input = { evseId: 1, connectorIds: script.connectorIds, txSettings: script.settings };
      for (let prefix = 0; prefix <= script.steps.length; prefix++) {
        const { time, link, originalLog, restoredLog } = newCase();
        const original = createActor(evseTrees.real('original'), {
          input,
          parent: recordingParent(originalLog),
        });
        original.start();
        for (const step of script.steps.slice(0, prefix))
          await run(step, [{ actor: original, tag: 'original' }], time, link);
        // Restored as the station does it: spawned through restorable() with `input.restore` (the
        // calls in flight answered first: a restore re-runs none, see the connector walk).
        await link.settleAll('original');
        const restored = restoreAsTheStationDoes(persist(original));
        await flush();
        snapshots += 1;
        const where = `${script.name}, after ${prefix} step(s)`;
        const twins: Twins = {
          original,
          restored,
          originalLog,
          mark: originalLog.length,
          restoredLog,
          checked: 0,
        };
        const inFlight = (tag: string) => [link.pending(tag), time.pending(tag)];
        assert.deepEqual(restoredLog, [], `${where}: restoring runs no action`);
        assertAlike(twins, `${where}, restored`, inFlight, true);
        for (const [i, step] of [...script.steps.slice(prefix), ...tail].entries()) {
          await run(
            step,
            [
              { actor: original, tag: 'original' },
              { actor: restored, tag: 'restored' },
            ],
            time,
            link,
          );
          continuationSteps += 1;
          assertAlike(twins, `${where}, continuation step ${i + 1}`, inFlight, true);
        }
        // (Actors with a parent cannot be stopped from outside; nothing of theirs runs on: the fakes hold no timers.)
      }
    }
    t.diagnostic(
      `EVSE with real sessions: ${snapshots} snapshots round-tripped, ${continuationSteps} continuation steps compared`,
    );
  });
});
