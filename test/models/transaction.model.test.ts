/**
 * Model-based tests for the transaction machine, paths generated from the production machine:
 * xstate/graph walks machines/transaction.ts itself (a finite sample of events, each a fact or a
 * command the runtime can be given; waits end at their deadlines), a covering set of at most
 * {@link MAX_PATHS} paths is chosen, and each path is run against the REAL runtime: a ChargePoint on
 * a temp SQLite file against the strict test CSMS, on a simulated station clock and simulated
 * timers. Each abstract event becomes a host API call or a CSMS call (ev.connected →
 * onSessionStarted, auth.accepted → onAuthorizationPresented, remote.stop → RequestStopTransaction,
 * resumed → a restart on the same database, a wait ending → the clock moved to its deadline, ...).
 *
 * After each step the runtime's session actor must be where the path says (state and context, as
 * the chart's own step produced them), and the TransactionEvents the CSMS received must be the ones
 * the pure step function (transactionStep) predicts, field for field (timestamps included: the
 * station clock is the model's). At the end nothing else may have been sent or be left queued.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { InspectionEvent } from 'xstate';
import { instantMs } from '../../machines/instant.js';
import {
  initialTransactionContext,
  transactionStep,
  type TransactionContext,
  type TransactionEvent,
  type TxEventParams,
} from '../../machines/transaction-rules.js';
import { ChargePoint } from '../../src/charge-point.js';
import { createStationClock } from '../../src/clock.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import type { TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import { readTxSettings } from '../../src/runtime/tx-settings.js';
import { SimulatedTimers } from '../helpers/simulated-timers.js';
import { defaultCsmsResponse, startTestCsms, type TestCsms } from '../../src/testing/index.js';
import {
  REMOTE_START_ID,
  T0,
  TOKEN_A,
  TOKEN_REMOTE,
  txInput,
  type TxGraphEvent,
  type TxPath,
  type TxSnapshot,
} from '../machines/transaction-graph.js';
import { edgesOf, tours, walk, type Walk } from './transaction-model.js';
import { connectorMachine } from '../../machines/connector.js';
import { evseMachine } from '../../machines/evse.js';
import { transactionMachine } from '../../machines/transaction.js';
import { TransitionCoverage, formatCoverage } from '../../src/testing/index.js';
import { publishCoverage } from './coverage-sink.js';

/** What fired in the runtime over every path of this file (the paths run one after the other). */
const coverage = new TransitionCoverage([transactionMachine, evseMachine, connectorMachine]);

/** Paths run against the runtime, over all profiles. */
const MAX_PATHS = 40;
const STEP_TIMEOUT_MS = 10_000;
/** Steps of a path at most. */
const MAX_STEPS = 16;
const EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

/** Device-model settings of each profile (applied at every start, as the CLI's --set). */
const PROFILES: Record<string, string[]> = {
  'TxStartPoint PowerPathClosed, TxStopPoint EVConnected,Authorized (shipped), every meter-value wait on': [
    'SampledDataCtrlr.TxUpdatedInterval=60',
    'SampledDataCtrlr.TxEndedInterval=30',
    'AlignedDataCtrlr.Interval=900',
    'AlignedDataCtrlr.TxEndedInterval=900',
  ],
  'TxStartPoint Authorized,EVConnected, TxStopPoint ParkingBayOccupancy, invalid ids withheld': [
    'TxCtrlr.TxStartPoint=Authorized,EVConnected',
    'TxCtrlr.TxStopPoint=ParkingBayOccupancy',
    'TxCtrlr.EVConnectionTimeOut=90',
    'TxCtrlr.StopTxOnEVSideDisconnect=false',
    'TxCtrlr.StopTxOnInvalidId=false',
    'SampledDataCtrlr.TxUpdatedInterval=0',
    'AlignedDataCtrlr.Interval=0',
  ],
};

/** Every run: the station clock does not follow the CSMS (it is the model's), fast reconnects. */
const COMMON = [
  'ClockCtrlr.TimeSource=RealTimeClock',
  'OCPPCommCtrlr.RetryBackOffWaitMinimum=1',
  'OCPPCommCtrlr.WebSocketPingInterval=0',
];



// ---------------------------------------------------------------------------------------------
// The runtime

interface Run {
  csms: TestCsms;
  identity: string;
  dbPath: string;
  timers: SimulatedTimers;
  cp: ChargePoint;
  errors: unknown[];
  /** The latest snapshot of each session actor (by actor id), from the inspection stream. */
  sessions: Map<string, { status: string; value: unknown; context: TransactionContext }>;
  /** Resolves waiters when a session's snapshot changes. */
  changed: EventTarget;
  /** The session of the path (its actor id), once the runtime opened it. */
  sessionId: string | null;
  overrides: string[];
  restart(resume: boolean): Promise<void>;
}

const servers: TestCsms[] = [];
const dirs: string[] = [];
after(async () => {
  publishCoverage('transaction', coverage.report());
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/**
 * The strict test CSMS. It keeps back its answer to the TransactionEvents named in `hold` (station,
 * seqNo: events carrying an idToken whose verdict a path gives later, tx.answered); the station
 * sends nothing else meanwhile (one CALL in flight).
 */
async function modelCsms() {
  const csms = await startTestCsms();
  servers.push(csms);
  const held = new Map<string, { seqNo: number; answer: (status: 'Accepted' | 'Invalid') => void }>();
  const hold = new Map<string, Set<number>>();
  csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as TransactionEventRequest;
    const answer = defaultCsmsResponse('TransactionEvent', request, {
      heartbeatInterval: 300,
      bootStatus: 'Accepted',
    });
    if (!request.idToken || !hold.get(call.identity)?.has(request.seqNo)) return answer;
    return new Promise((resolve) =>
      held.set(call.identity, {
        seqNo: request.seqNo,
        answer: (status) => resolve(status === 'Accepted' ? answer : { idTokenInfo: { status } }),
      }),
    );
  });
  return {
    csms,
    hold,
    /** The seqNo of the station's TransactionEvent whose answer is kept back, if any. */
    heldSeqNo: (identity: string) => held.get(identity)?.seqNo,
    /** Answers the held TransactionEvent of a station; false when none is held. */
    release(identity: string, status: 'Accepted' | 'Invalid'): boolean {
      const entry = held.get(identity);
      held.delete(identity);
      entry?.answer(status);
      return entry !== undefined;
    },
  };
}

async function startRun(csms: TestCsms, identity: string, overrides: string[]): Promise<Run> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-mbt-'));
  dirs.push(dir);
  const timers = new SimulatedTimers(instantMs(T0));
  const clock = createStationClock(undefined, () => timers.nowMs);
  const run: Run = {
    csms,
    identity,
    dbPath: path.join(dir, 'station.db'),
    timers,
    cp: undefined as unknown as ChargePoint,
    errors: [],
    sessions: new Map(),
    changed: new EventTarget(),
    sessionId: null,
    overrides,
    restart: async (resume) => {
      await run.cp.stop();
      await boot([...overrides, `InternalCtrlr.ResumeTransactionsOnBoot=${resume}`]);
    },
  };
  const inspect = (event: InspectionEvent) => {
    coverage.inspect(event);
    const id = (event.actorRef as { id?: string }).id;
    if (event.type !== '@xstate.snapshot' || !id?.startsWith('transaction:')) return;
    run.sessionId ??= id;
    run.sessions.set(id, event.snapshot as never);
    run.changed.dispatchEvent(new Event('change'));
  };
  async function boot(set: string[]): Promise<void> {
    let registered!: () => void;
    const accepted = new Promise<void>((resolve) => (registered = resolve));
    run.cp = new ChargePoint({
      stationId: identity,
      evses: EVSES,
      database: run.dbPath,
      csmsUrl: csms.url,
      clock,
      timers,
      inspect,
      deviceModel: { overrides: [...COMMON, ...set].map(parseSetArgument) },
      onError: (e) => run.errors.push(e),
      callbacks: {
        resetCallback: () => undefined,
        bootNotificationCallback: (response) => {
          if (response.status === 'Accepted') registered();
        },
      },
    });
    await run.cp.start();
    await withTimeout(accepted, 'registration Accepted');
  }
  await boot(overrides);
  return run;
}

async function withTimeout<T>(promise: Promise<T>, what: string, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What of a session the model and the runtime must agree on (its id is the runtime's, and the last event time is not a fact). */
const comparable = (c: TransactionContext) => ({
  ...c,
  transactionId: '(runtime)',
  lastEventAt: '(ignored)',
});

/** Waits until the runtime's session is where the model is (state value, status, context). */
async function sessionReaches(run: Run, expected: TxSnapshot, where: string): Promise<void> {
  const matches = () => {
    const actual = run.sessionId === null ? undefined : run.sessions.get(run.sessionId);
    if (!actual) return false;
    try {
      assert.deepEqual(actual.value, expected.value);
      assert.deepEqual(comparable(actual.context), comparable(expected.context));
      return true;
    } catch {
      return false;
    }
  };
  if (matches()) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, STEP_TIMEOUT_MS);
    function done() {
      clearTimeout(timer);
      run.changed.removeEventListener('change', check);
      resolve();
    }
    function check() {
      if (matches()) done();
    }
    run.changed.addEventListener('change', check);
  });
  const actual = run.sessionId === null ? undefined : run.sessions.get(run.sessionId);
  assert.ok(actual, `${where}: the runtime opened no session`);
  assert.deepEqual(actual.value, expected.value, `${where}: the session's state`);
  assert.deepEqual(
    comparable(actual.context),
    comparable(expected.context),
    `${where}: the session's context`,
  );
}

/** The fields of a TransactionEventRequest the step function decides. */
function fromModel(p: TxEventParams) {
  return {
    eventType: p.eventType,
    timestamp: p.timestamp,
    triggerReason: p.triggerReason,
    seqNo: p.seqNo,
    chargingState: p.chargingState,
    stoppedReason: p.stoppedReason,
    remoteStartId: p.remoteStartId,
    timeSpentCharging: p.timeSpentCharging,
    evse: p.evse,
    idToken: p.idToken,
    reservationId: p.reservationId,
  };
}

function fromWire(r: TransactionEventRequest): ReturnType<typeof fromModel> {
  return {
    eventType: r.eventType,
    timestamp: r.timestamp,
    triggerReason: r.triggerReason,
    seqNo: r.seqNo,
    chargingState: r.transactionInfo.chargingState,
    stoppedReason: r.transactionInfo.stoppedReason,
    remoteStartId: r.transactionInfo.remoteStartId,
    timeSpentCharging: r.transactionInfo.timeSpentCharging,
    evse: r.evse,
    idToken: r.idToken,
    reservationId: r.reservationId,
  };
}

/** The model's event as the runtime gets it. */
async function perform(
  run: Run,
  event: TxGraphEvent,
  csmsControl: Awaited<ReturnType<typeof modelCsms>>,
): Promise<void> {
  const { cp, csms, identity } = run;
  if ('output' in event) {
    // A wait of the session ends: the clock reaches its deadline.
    await run.timers.advanceTo(instantMs(event.output));
    return;
  }
  const e = event as TransactionEvent & { at: string };
  // Facts happen at the model's time; no wait of the session is due before (the walk says so).
  await run.timers.advanceTo(instantMs(e.at));
  switch (e.type) {
    case 'ev.connected':
      return cp.onSessionStarted(1, 1);
    case 'ev.disconnected':
      return cp.onSessionFinished(1, 1);
    case 'bay.occupied':
      return cp.onParkingBayOccupied(1);
    case 'bay.vacated':
      return cp.onParkingBayUnoccupied(1);
    case 'auth.accepted':
      assert.equal((await cp.onAuthorizationPresented(TOKEN_A, 1)).action, 'started');
      return;
    case 'auth.stop':
      assert.equal((await cp.onAuthorizationPresented(TOKEN_A, 1)).action, 'stopped');
      return;
    case 'auth.remoteStart':
      // (F01.FR.13: a transaction already running there is named in the answer.)
      assert.equal(
        (
          (await csms.call(identity, 'RequestStartTransaction', {
            idToken: TOKEN_REMOTE,
            remoteStartId: REMOTE_START_ID,
            evseId: 1,
          })) as { status: string }
        ).status,
        'Accepted',
      );
      return;
    case 'remote.stop': {
      const transactionId = cp.getTransactionId(1);
      assert.ok(transactionId, 'a running transaction to stop');
      assert.deepEqual(await csms.call(identity, 'RequestStopTransaction', { transactionId }), {
        status: 'Accepted',
      });
      return;
    }
    case 'charging.state':
      return cp.onChargingStateChanged(1, e.state);
    case 'connector.lockFailed':
      return cp.onConnectorLockFailed(1, 1);
    case 'connector.faulted':
      return cp.onFaulted(1, 1);
    case 'connector.faultCleared':
      return cp.onFaultCleared(1, 1);
    case 'tx.answered':
      assert.ok(
        csmsControl.release(identity, 'Invalid'),
        'the CSMS holds its answer to the event with the idToken',
      );
      return;
    case 'trigger.transactionEvent':
      assert.deepEqual(
        await csms.call(identity, 'TriggerMessage', {
          requestedMessage: 'TransactionEvent',
          evse: { id: 1 },
        }),
        { status: 'Accepted' },
      );
      return;
    case 'reset.immediate':
      assert.deepEqual(await csms.call(identity, 'Reset', { type: 'Immediate' }), { status: 'Accepted' });
      return;
    case 'resumed':
      return run.restart(e.resumeTransactions);
    default:
      throw new Error(`no runtime action for ${e.type}`);
  }
}

/** The model's step for a graph event (a wait ending is the chart's timer tick at that time). */
function modelEvent(event: TxGraphEvent): TransactionEvent {
  if (!('output' in event)) return event;
  const id = event.type.slice('xstate.done.actor.'.length);
  return { type: `timer.${id}`, at: event.output } as TransactionEvent;
}

/** TransactionEvent rows of a station left in the store (sent or not). */
function queuedTransactionEvents(dbPath: string, identity: string): TransactionEventRequest[] {
  const sqlite = new Database(dbPath, { readonly: true });
  try {
    return (
      sqlite
        .prepare(
          "SELECT payload_json FROM message_queue WHERE station_id = ? AND action = 'TransactionEvent'",
        )
        .all(identity) as Array<{ payload_json: string }>
    ).map((r) => JSON.parse(r.payload_json) as TransactionEventRequest);
  } finally {
    sqlite.close();
  }
}

async function runPath(
  p: TxPath,
  overrides: string[],
  identity: string,
  control: Awaited<ReturnType<typeof modelCsms>>,
): Promise<void> {
  const run = await startRun(control.csms, identity, overrides);
  const settings = readTxSettings(run.cp.deviceModel, EVSES[0] as (typeof EVSES)[number], 'library');
  let context = initialTransactionContext(txInput(settings));
  const predicted: TxEventParams[] = [];
  const received = () =>
    control.csms.calls.filter(
      (c) =>
        c.identity === identity &&
        c.action === 'TransactionEvent' &&
        run.sessionId !== null &&
        (c.payload as TransactionEventRequest).transactionInfo.transactionId ===
          run.sessionId.slice('transaction:'.length),
    );
  try {
    const steps = p.steps.slice(1);
    // The verdicts the path gives on tokens: the CSMS keeps those answers back until then.
    control.hold.set(
      identity,
      new Set(
        steps.flatMap((s) => (s.event.type === 'tx.answered' ? [(s.event as { seqNo: number }).seqNo] : [])),
      ),
    );
    for (const [i, step] of steps.entries()) {
      const where = `step ${i + 1} (${step.event.type})`;
      const outcome = transactionStep(context, modelEvent(step.event));
      context = outcome.context;
      assert.deepEqual(context, step.state.context, `${where}: the step function and the chart agree`);
      predicted.push(...outcome.events);
      await perform(run, step.event, control);
      // Waits ending at the same instant end together in the runtime: check after the last one.
      const tied =
        'output' in step.event &&
        steps[i + 1] &&
        'output' in (steps[i + 1] as { event: object }).event &&
        (steps[i + 1]?.event as { output: string }).output === step.event.output;
      if (tied) continue;
      if (run.sessionId !== null || step.state.status !== 'done')
        await sessionReaches(run, step.state, where);
      const seqNos = new Set(received().map((c) => (c.payload as TransactionEventRequest).seqNo));
      for (const expected of predicted) {
        // Behind an answer the CSMS keeps back nothing is sent yet.
        const held = control.heldSeqNo(identity);
        if (held !== undefined && expected.seqNo > held) break;
        if (seqNos.has(expected.seqNo)) continue;
        assert.ok(
          run.sessionId,
          `${where}: TransactionEvent seqNo ${expected.seqNo} predicted, but the runtime opened no session`,
        );
        const transactionId = run.sessionId.slice('transaction:'.length);
        await control.csms.waitForCall(
          'TransactionEvent',
          (c) =>
            c.identity === identity &&
            (c.payload as TransactionEventRequest).transactionInfo.transactionId === transactionId &&
            (c.payload as TransactionEventRequest).seqNo === expected.seqNo,
          STEP_TIMEOUT_MS,
        );
      }
      const held = control.heldSeqNo(identity);
      const got = received().map((c) => fromWire(c.payload as TransactionEventRequest));
      assert.deepEqual(
        dedupe(got),
        predicted.filter((e) => held === undefined || e.seqNo <= held).map(fromModel),
        `${where}: the TransactionEvents the CSMS received are the predicted ones`,
      );
    }
    control.release(identity, 'Accepted');
  } finally {
    await run.cp.stop();
  }
  // Nothing more was sent, and nothing is left unsent (a row may stay when its answer came as the
  // station stopped: it is sent again, same message, at the next start).
  const transactionId = run.sessionId?.slice('transaction:'.length);
  const sent = new Set(received().map((c) => (c.payload as TransactionEventRequest).seqNo));
  const unsent = queuedTransactionEvents(run.dbPath, identity).filter(
    (r) => r.transactionInfo.transactionId !== transactionId || !sent.has(r.seqNo),
  );
  assert.deepEqual(
    unsent.map((r) => `${r.eventType} ${r.triggerReason} #${r.seqNo}`),
    [],
    'no TransactionEvent is left unsent',
  );
  assert.deepEqual(
    dedupe(received().map((c) => fromWire(c.payload as TransactionEventRequest))),
    predicted.map(fromModel),
  );
  assert.deepEqual(
    control.csms.validationFailures.filter((f) => f.identity === identity),
    [],
  );
  assert.deepEqual(run.errors.map(String), [], 'no error was reported');
}

/** A CALL in flight at a restart arrives twice (same message): one delivery counts. */
function dedupe(events: Array<ReturnType<typeof fromWire>>) {
  const seen = new Set<number>();
  return events
    .filter((e) => (seen.has(e.seqNo) ? false : (seen.add(e.seqNo), true)))
    .sort((a, b) => a.seqNo - b.seqNo);
}

describe('Model-based tests for the transaction machine, paths generated from the production machine', () => {
  test('paths from xstate/graph run against the real runtime (ChargePoint, SQLite, strict CSMS)', async (t) => {
    const control = await modelCsms();
    // The settings each profile gives a session, read from the device model of a started station.
    const plans: Array<{ profile: string; overrides: string[]; walk: Walk }> = [];
    for (const [profile, overrides] of Object.entries(PROFILES)) {
      const probe = await startRun(control.csms, `MBT-PROBE-${plans.length}`, overrides);
      const settings = readTxSettings(probe.cp.deviceModel, EVSES[0] as (typeof EVSES)[number], 'library');
      await probe.cp.stop();
      plans.push({ profile, overrides, walk: walk(settings) });
    }
    const perProfile = Math.floor(MAX_PATHS / plans.length);
    let pathNo = 0;
    const totals = { edges: 0, covered: 0 };
    for (const plan of plans) {
      const chosen = tours(plan.walk, perProfile, MAX_STEPS);
      const covered = new Set(chosen.flatMap(edgesOf).filter((e) => plan.walk.edges.has(e)));
      totals.edges += plan.walk.edges.size;
      totals.covered += covered.size;
      t.diagnostic(
        `${plan.profile}: the walk found ${plan.walk.states} states and ${plan.walk.edges.size} state-level transitions; ` +
          `${chosen.length} paths (${chosen.reduce((n, p) => n + p.weight, 0)} steps) take ${covered.size} of them (${Math.round((100 * covered.size) / plan.walk.edges.size)}%)`,
      );
      for (const p of chosen) {
        pathNo += 1;
        const name = p.steps
          .slice(1)
          .map((s) => s.event.type.replace('xstate.done.actor.', 'wait:'))
          .join(' → ');
        await t.test(`[${pathNo}] ${name}`, () => runPath(p, plan.overrides, `MBT-${pathNo}`, control));
        coverage.countPaths('transaction');
      }
    }
    t.diagnostic(
      `transition coverage: ${totals.covered} of ${totals.edges} state-level transitions (${Math.round((100 * totals.covered) / totals.edges)}%) with ${pathNo} paths`,
    );
    for (const line of formatCoverage(coverage.report()).split('\n')) t.diagnostic(`runtime: ${line}`);
    assert.ok(pathNo <= MAX_PATHS);
  });
});
