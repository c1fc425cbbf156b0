/**
 * Power loss: the CLI (a child process, `--json`) against the strict test CSMS is SIGKILLed at
 * several points of a transaction and started again with the same `--db`, once with
 * InternalCtrlr.ResumeTransactionsOnBoot true and once false (docs/transactions.md, "Durability and
 * power loss"; DESIGN.md, "Restore is not a transition").
 *
 * One station database lives through seven processes; each is killed at the next point:
 *
 *   A  before the transaction starts (EV plugged, nobody authorized: a session, no transaction)
 *   B  right after Started is created (killed on the `auth` result: the Started row may or may not
 *      be stored yet; the database read after the kill says which, and the check follows it)
 *   B2 while the station starts again, before it registered (resumed, or ended with PowerLoss,
 *      not sent yet)
 *   C  while a TransactionEvent is in flight (the CSMS holds its answer; one more waits behind it):
 *      the Started of a new transaction when none goes on, else an Updated
 *   D  between a queue write and its send (offline: events stored, not sent)
 *   E  after Ended is queued but not sent (offline, the driver's token ended it)
 *
 * At the end, over everything the CSMS received: no two different TransactionEvent payloads (or
 * message ids) share a (transactionId, seqNo) — the same CALL received twice is at-least-once
 * delivery of a message in flight at the kill —, seqNos run from 0 without gaps, Started is seqNo 0
 * and Ended the last, once. With resume true one transaction spans every power loss and ends
 * normally; with resume false each transaction running at a kill ends with AbnormalCondition /
 * PowerLoss, without idToken.
 *
 * Everything waits for JSON events or CSMS calls; nothing sleeps.
 */
import { after, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { is, killAll, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';
import type { CliEvent } from '../../src/cli/cli-events.js';
import {
  defaultCsmsResponse,
  startTestCsms,
  type ReceivedCall,
  type TestCsms,
} from '../../src/testing/index.js';
import type { TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import { assertWholeTransactions, transactionOf } from '../helpers/transaction-sequences.js';

const processes: CliProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await killAll(processes);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

type Tx = TransactionEventRequest;

interface StatusConnector {
  evseId: number;
  connectorId: number;
  plugged: boolean;
  ev: 'absent' | 'connected' | 'charging' | 'suspended';
  transactionId: string | null;
}

/** The strict CSMS, with a switch that holds TransactionEvent answers (a message stays in flight). */
async function powerLossCsms() {
  const server = await startTestCsms();
  const held: Array<() => void> = [];
  let holding = false;
  server.onCall('TransactionEvent', (call) => {
    const answer = defaultCsmsResponse('TransactionEvent', call.payload, {
      heartbeatInterval: 300,
      bootStatus: 'Accepted',
    });
    if (!holding) return answer;
    return new Promise((resolve) => held.push(() => resolve(answer)));
  });
  cleanups.push(async () => {
    // Answers to connections that are gone; then the server closes.
    for (const release of held.splice(0)) release();
    await server.close();
  });
  return {
    server,
    hold(on: boolean) {
      holding = on;
    },
  };
}

/** TransactionEvent calls the CSMS received (every delivery, duplicates included), in order. */
const transactionEvents = (server: TestCsms): Array<ReceivedCall & { payload: Tx }> =>
  server.calls.filter((c): c is ReceivedCall & { payload: Tx } => c.action === 'TransactionEvent');

const txOf = transactionOf;

/** Rows the killed station left in its database (read with a second connection). */
function storedState(db: string, stationId: string) {
  const sqlite = new Database(db, { readonly: true });
  try {
    const queued = (
      sqlite
        .prepare(
          "SELECT payload_json FROM message_queue WHERE station_id = ? AND action = 'TransactionEvent' ORDER BY id",
        )
        .all(stationId) as Array<{ payload_json: string }>
    ).map((r) => JSON.parse(r.payload_json) as Tx);
    const records = sqlite
      .prepare('SELECT transaction_id, context_json FROM transaction_record WHERE station_id = ?')
      .all(stationId) as Array<{ transaction_id: string; context_json: string }>;
    const started = records
      .filter((r) => {
        const context = JSON.parse(r.context_json) as { started: boolean; ended: boolean };
        return context.started && !context.ended;
      })
      .map((r) => r.transaction_id);
    return { queued, started };
  } finally {
    sqlite.close();
  }
}

/** One run of the CLI on the shared database: started, registered, hardware restored. */
class Life {
  private constructor(readonly p: CliProcess) {}

  static async start(args: string[], registered = true): Promise<Life> {
    const p = spawnCli(['--json', ...args]);
    processes.push(p);
    await p.waitFor('station started', is.station('started', 1));
    if (registered) await p.waitFor('registration Accepted', is.registration('Accepted'));
    return new Life(p);
  }

  /** Runs a console line and resolves with its result (which must be ok unless `mayFail`). */
  async run(line: string, mayFail = false): Promise<Extract<CliEvent, { type: 'command' }>> {
    const since = this.p.mark();
    this.p.send(line);
    const result = (await this.p.waitFor(`result of '${line}'`, is.command(line), since)) as Extract<
      CliEvent,
      { type: 'command' }
    >;
    if (!mayFail) assert.equal(result.ok, true, `'${line}': ${result.message}`);
    return result;
  }

  async evse1(): Promise<StatusConnector> {
    const status = await this.run('status');
    const data = status.data as { connectors: StatusConnector[] };
    const c = data.connectors.find((x) => x.evseId === 1);
    assert.ok(c, 'EVSE 1 in status');
    return c;
  }

  /** Changes the energy flow on EVSE 1 (charging <-> suspended): one Updated ChargingStateChanged. */
  async toggleFlow(): Promise<void> {
    const c = await this.evse1();
    await this.run(c.ev === 'charging' ? 'suspend 1' : 'charge 1');
  }

  async offline(): Promise<void> {
    const since = this.p.mark();
    await this.run('offline');
    await this.p.waitFor('websocket closed', is.connection(false), since);
  }

  async kill(): Promise<void> {
    this.p.kill('SIGKILL');
    assert.equal((await this.p.exited).signal, 'SIGKILL');
  }
}

/** Waits for a TransactionEvent received at index `since` or later that matches. */
function transactionEvent(server: TestCsms, since: number, description: string, match: (p: Tx) => boolean) {
  return server
    .waitForCall(
      'TransactionEvent',
      (c) => server.calls.indexOf(c) >= since && match(c.payload as Tx),
      WAIT_MS,
    )
    .catch((error: unknown) => {
      throw new Error(`${description}: ${(error as Error).message}`);
    });
}

/**
 * The invariants over everything the CSMS received: one payload (and message id) per
 * (transactionId, seqNo), seqNos 0..n without gaps, Started first and Ended last, once each.
 * Returns the events of each transaction by seqNo (first delivery).
 */
function checkTransactionLog(server: TestCsms): Map<string, Tx[]> {
  const byKey = new Map<string, ReceivedCall & { payload: Tx }>();
  let duplicates = 0;
  for (const call of transactionEvents(server)) {
    const key = `${txOf(call)}#${call.payload.seqNo}`;
    const first = byKey.get(key);
    if (!first) {
      byKey.set(key, call);
      continue;
    }
    duplicates += 1;
    // At-least-once: only the same CALL (same message id, same payload) may arrive twice.
    assert.equal(call.messageId, first.messageId, `${key} arrived under two message ids`);
    assert.deepEqual(call.payload, first.payload, `${key}: two different payloads`);
  }
  const transactions = assertWholeTransactions(byKey.values());
  return Object.assign(transactions, { duplicates });
}

async function powerLossRun(t: TestContext, resume: boolean): Promise<void> {
  const { server, hold } = await powerLossCsms();
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-power-loss-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'station.db');
  const stationId = `PL-${resume ? 'RESUME' : 'END'}`;
  const args = [
    '--csms',
    server.url,
    '--id',
    stationId,
    '--db',
    db,
    '--set',
    `InternalCtrlr.ResumeTransactionsOnBoot=${resume}`,
  ];
  /** Transactions running at the last kill (stored as started and not ended). */
  const runningAtKill: string[] = [];
  const token = (n: number) => `PL-TAG-${n}`;
  let tokens = 0;
  let current: { id: string; token: string } | null = null;

  /** Starts a transaction on EVSE 1 (plugged, nobody authorized) and waits until the CSMS has its Started. */
  async function startTransaction(life: Life): Promise<ReceivedCall> {
    const since = server.calls.length;
    const tag = token(++tokens);
    const result = await life.run(`auth ${tag} ISO14443 1`);
    const data = result.data as { action: string; transactionId: string };
    assert.equal(data.action, 'started');
    current = { id: data.transactionId, token: tag };
    return transactionEvent(
      server,
      since,
      'Started',
      (p) => p.eventType === 'Started' && p.transactionInfo.transactionId === data.transactionId,
    );
  }

  /** After a restart: the transaction that was running goes on (resume) or has ended (PowerLoss). */
  async function afterRestart(life: Life, since: number): Promise<void> {
    const running = runningAtKill.at(-1);
    const c = await life.evse1();
    if (running === undefined) {
      assert.equal(c.transactionId, null, 'no transaction was stored: none runs after the restart');
      current = null;
      return;
    }
    if (resume) {
      assert.equal(c.transactionId, running, 'resumed: the same transaction goes on');
    } else {
      await transactionEvent(
        server,
        since,
        `Ended PowerLoss of ${running}`,
        (p) => p.transactionInfo.transactionId === running && p.eventType === 'Ended',
      );
      assert.equal(c.transactionId, null, 'not resumed: the transaction ended at the start');
      current = null;
    }
  }

  async function powerLoss(life: Life, point: string): Promise<void> {
    await life.kill();
    const stored = storedState(db, stationId);
    // The transactions open in the store are the ones running at this kill.
    const open = stored.started;
    runningAtKill.splice(0, runningAtKill.length, ...open);
    t.diagnostic(
      `${point}: killed; stored open transactions [${open.join(', ')}], ` +
        `${stored.queued.length} TransactionEvent row(s) not answered: ` +
        stored.queued.map((q) => `${q.eventType}#${q.seqNo}${q.offline ? ' offline' : ''}`).join(', '),
    );
  }

  // A: before the transaction starts.
  let life = await Life.start(args);
  await life.run('plug 1');
  await powerLoss(life, 'A (session, no transaction)');
  assert.deepEqual([...runningAtKill], [], 'A: a session without a transaction');

  // B: right after Started is created.
  let since = server.calls.length;
  life = await Life.start(args);
  await afterRestart(life, since);
  assert.equal(transactionEvents(server).length, 0, 'A: nothing was ever sent about the session');
  const tag = token(++tokens);
  const auth = await life.run(`auth ${tag} ISO14443 1`);
  const started = auth.data as { action: string; transactionId: string };
  assert.equal(started.action, 'started');
  current = { id: started.transactionId, token: tag };
  await powerLoss(life, 'B (right after Started was created)');
  const storedB = runningAtKill.includes(started.transactionId);
  t.diagnostic(
    `B: the Started of ${started.transactionId} was ${storedB ? '' : 'NOT '}stored before the kill`,
  );

  // B2: the power fails again while the station starts (restored, the session told `resumed`,
  // nothing sent yet): whatever that start decided is stored or not at all.
  life = await Life.start(args, false);
  await powerLoss(life, 'B2 (during the start after a power loss, before registration)');

  // C: a TransactionEvent in flight.
  since = server.calls.length;
  life = await Life.start(args);
  await afterRestart(life, since);
  if (storedB) {
    await transactionEvent(
      server,
      0,
      'Started of B',
      (p) => p.transactionInfo.transactionId === started.transactionId && p.eventType === 'Started',
    );
  } else {
    assert.ok(
      !transactionEvents(server).some((c) => txOf(c) === started.transactionId),
      'B: a Started that was not stored never reaches the CSMS',
    );
  }
  // Whatever the restart left queued (a PowerLoss Ended, the Started of B) reaches the CSMS, and
  // is answered at once, before the CSMS holds its answers: else the in-flight message below would
  // queue behind a held one.
  for (const q of storedState(db, stationId).queued) {
    const sent = transactionEvents(server).some(
      (c) =>
        server.calls.indexOf(c) >= since &&
        txOf(c) === q.transactionInfo.transactionId &&
        c.payload.seqNo === q.seqNo,
    );
    if (sent) continue;
    await transactionEvent(
      server,
      since,
      `leftover ${q.eventType}#${q.seqNo} sent after the restart`,
      (p) => p.transactionInfo.transactionId === q.transactionInfo.transactionId && p.seqNo === q.seqNo,
    );
  }
  // In flight: the Started of a new transaction when none goes on, else an Updated.
  since = server.calls.length;
  hold(true);
  let inFlight: ReceivedCall;
  if (current === null) {
    inFlight = await startTransaction(life);
  } else {
    await life.toggleFlow();
    inFlight = await transactionEvent(
      server,
      since,
      'an Updated in flight',
      (p) => p.eventType === 'Updated',
    );
  }
  await life.toggleFlow(); // another one waits behind it
  await powerLoss(life, `C (the ${(inFlight.payload as Tx).eventType} in flight)`);
  hold(false);
  assert.ok(
    storedState(db, stationId).queued.some((q) => q.seqNo === (inFlight.payload as Tx).seqNo),
    'C: the unanswered message is still queued',
  );

  // D: between a queue write and its send.
  since = server.calls.length;
  life = await Life.start(args);
  await afterRestart(life, since);
  // At least once: the CALL that was in flight arrives again, with its message id.
  await server.waitForCall(
    'TransactionEvent',
    (c) => c.messageId === inFlight.messageId && c !== inFlight,
    WAIT_MS,
  );
  if (current === null) await startTransaction(life);
  await life.offline();
  await life.toggleFlow();
  await life.toggleFlow();
  await life.run('status');
  await powerLoss(life, 'D (events stored while offline, not sent)');
  const queuedD = storedState(db, stationId).queued.filter((q) => q.offline);
  assert.ok(queuedD.length >= 1, 'D: events created offline are stored and unsent at the kill');

  // E: Ended queued, not sent.
  since = server.calls.length;
  life = await Life.start(args);
  await afterRestart(life, since);
  for (const q of queuedD) {
    await transactionEvent(
      server,
      since,
      `offline event ${q.seqNo} sent after the restart`,
      (p) =>
        p.transactionInfo.transactionId === q.transactionInfo.transactionId &&
        p.seqNo === q.seqNo &&
        p.offline === true,
    );
  }
  if (current === null) await startTransaction(life);
  const ending = current as { id: string; token: string } | null;
  assert.ok(ending);
  await life.offline();
  const stop = await life.run(`auth ${ending.token} ISO14443 1`);
  assert.equal((stop.data as { action: string }).action, 'stopped');
  assert.equal((await life.evse1()).transactionId, null, 'E: the transaction ended locally');
  await powerLoss(life, 'E (Ended queued, not sent)');
  assert.deepEqual([...runningAtKill], [], 'E: no transaction is open in the store');
  assert.ok(
    storedState(db, stationId).queued.some(
      (q) => q.eventType === 'Ended' && q.transactionInfo.transactionId === ending.id,
    ),
    'E: the Ended is stored, unsent',
  );

  // After the last power loss: the Ended goes out once; nothing ends twice.
  since = server.calls.length;
  life = await Life.start(args);
  await transactionEvent(
    server,
    since,
    'the stored Ended',
    (p) => p.eventType === 'Ended' && p.transactionInfo.transactionId === ending.id,
  );
  assert.equal((await life.evse1()).transactionId, null);
  await life.run('quit');
  assert.equal((await life.p.exited).code, 0);

  // The CSMS's view.
  assert.deepEqual(server.validationFailures, []);
  const log = checkTransactionLog(server);
  const ids = [...log.keys()];
  const endedOf = (id: string) => log.get(id)?.at(-1) as Tx;
  t.diagnostic(
    `${ids.length} transaction(s), ${transactionEvents(server).length} TransactionEvent deliveries ` +
      `(${(log as unknown as { duplicates: number }).duplicates} repeated CALLs): ` +
      ids.map((id) => `${id.slice(0, 8)}… seqNo 0..${(log.get(id)?.length ?? 0) - 1}`).join('; '),
  );
  const last = endedOf(ending.id);
  assert.equal(last.triggerReason, 'StopAuthorized');
  assert.equal(last.transactionInfo.stoppedReason, 'Local');
  if (resume) {
    assert.deepEqual(ids, [ending.id], 'resume: one transaction spans every power loss');
    assert.ok(
      !transactionEvents(server).some((c) => c.payload.transactionInfo.stoppedReason === 'PowerLoss'),
    );
  } else {
    // Every transaction but the last was running at a kill and ended at the next start.
    assert.ok(ids.length >= 3, `one transaction per power loss while one runs (${ids.length})`);
    for (const id of ids.filter((x) => x !== ending.id)) {
      const ended = endedOf(id);
      assert.equal(ended.triggerReason, 'AbnormalCondition', id);
      assert.equal(ended.transactionInfo.stoppedReason, 'PowerLoss', id);
      assert.equal(ended.idToken, undefined, `${id}: no idToken in the PowerLoss Ended`);
    }
  }
}

describe(
  'Power loss: SIGKILL at points of a transaction, restart with the same --db',
  { concurrency: 2 },
  () => {
    test('InternalCtrlr.ResumeTransactionsOnBoot=true: the transaction goes on (same id, next seqNo) and ends normally; every (transactionId, seqNo) once', (t) =>
      powerLossRun(t, true));
    test('InternalCtrlr.ResumeTransactionsOnBoot=false: a running transaction ends at the start with AbnormalCondition / PowerLoss; every (transactionId, seqNo) once', (t) =>
      powerLossRun(t, false));
  },
);
