/**
 * Transaction benchmark: how many TransactionEventRequests per second the station makes durable,
 * through the whole path (a session step in the transaction chart, the TransactionEventRequest with
 * its meter values, one SQLite transaction holding the queue row, the EVSE snapshot and the derived
 * transaction record, then the hand-over to the queue), against bare better-sqlite3 inserts of the
 * same JSON in one transaction each, measured in the same run (`npm run bench transactions`).
 * The station is offline (nothing listens at its CSMS URL), so every event stays queued.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { ChargePoint } from '../src/charge-point.js';
import { parseSetArgument } from '../src/device-model/index.js';
import type { MeterValueType } from '../src/generated/ocpp-types.js';

const EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-bench-tx-'));
  try {
    const station = new ChargePoint({
      stationId: 'CS-BENCH',
      evses: EVSES,
      database: path.join(dir, 'station.db'),
      csmsUrl: 'ws://127.0.0.1:1/ocpp',
      deviceModel: {
        overrides: ['AuthCtrlr.Enabled=false', 'OCPPCommCtrlr.RetryBackOffWaitMinimum=3600'].map(parseSetArgument),
      },
      onError: () => undefined,
    });
    await station.start();
    const runtime = station.station;
    const reading = (wh: number): MeterValueType => ({
      timestamp: new Date().toISOString(),
      sampledValue: [
        { value: wh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
        { value: 11000, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
      ],
    });
    station.onMeterValue(1, reading(1000));
    // AuthCtrlr.Enabled false: the plugged EV is authorized; TxStartPoint PowerPathClosed starts it.
    station.onSessionStarted(1, 1);
    await runtime.persistence.flushed();
    if (!station.getTransactionId(1)) throw new Error('the transaction did not start');

    const trigger = () => runtime.send({ type: 'trigger.transactionEvent', evseId: 1, at: new Date().toISOString() });
    // Warm-up.
    for (let i = 0; i < 200; i++) {
      trigger();
      await runtime.persistence.flushed();
    }
    const events = 3000;
    // One at a time: each event is stored before the next one is made (latency-bound).
    const started = performance.now();
    for (let i = 0; i < events; i++) {
      if (i % 100 === 0) station.onMeterValue(1, reading(1000 + i));
      trigger();
      await runtime.persistence.flushed();
    }
    const perSecond = events / ((performance.now() - started) / 1000);
    // Stream: each event in its own macrotask, as events of many EVSEs arrive; a write in progress
    // lets the next ones gather into the following SQLite transaction.
    const streamStarted = performance.now();
    await new Promise<void>((resolve) => {
      let i = 0;
      const next = () => {
        if (i === events) return resolve();
        if (i % 100 === 0) station.onMeterValue(1, reading(5000 + i));
        i += 1;
        trigger();
        setImmediate(next);
      };
      next();
    });
    await runtime.persistence.flushed();
    const streamPerSecond = events / ((performance.now() - streamStarted) / 1000);
    const sample = runtime.queue.pendingDurable(true).at(-1)?.payload;
    const payloadJson = JSON.stringify(sample);
    await station.stop();

    // Baseline: the same JSON, one INSERT per SQLite transaction, bare better-sqlite3 (WAL, NORMAL).
    const db = new SQLite(path.join(dir, 'baseline.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE q (id INTEGER PRIMARY KEY, message_id TEXT, payload_json TEXT)');
    const insert = db.prepare('INSERT INTO q (message_id, payload_json) VALUES (?, ?)');
    const once = db.transaction((i: number) => insert.run(`m-${i}`, payloadJson));
    for (let i = 0; i < 200; i++) once(i);
    const baselineStart = performance.now();
    for (let i = 0; i < events; i++) once(i);
    const baselinePerSecond = events / ((performance.now() - baselineStart) / 1000);
    db.close();

    console.log(`TransactionEventRequest (${payloadJson.length} bytes) made durable (chart step, request, SQLite transaction with the EVSE snapshot, queue):`);
    console.log(`  station, one at a time (stored before the next): ${perSecond.toFixed(0)} /s`);
    console.log(`  station, a stream of events:                     ${streamPerSecond.toFixed(0)} /s (goal >= 2000 /s)`);
    console.log(`  bare better-sqlite3 INSERT, one transaction each: ${baselinePerSecond.toFixed(0)} /s`);
    console.log(
      `  ratio to bare SQLite: one at a time ${(perSecond / baselinePerSecond).toFixed(3)}, stream ${(streamPerSecond / baselinePerSecond).toFixed(3)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
