/**
 * A fleet worker thread (`--workers`, started by src/cli/fleet-workers.ts): runs a block of the
 * fleet's stations as a {@link CliFleet} on a SQLite file of its own, with its own station clock,
 * and talks to the main thread only through messages (src/cli/fleet-worker-protocol.ts): console
 * lines and `stop` in; events, counts, `quit`/`fatal` requests and `stopped` out. The main thread
 * prints every event, so output lines are never interleaved.
 *
 * A failure to open the database (or any exception this module does not catch) ends the thread
 * with an `error` the main thread reports; the other workers run on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createStationClock } from '../clock.js';
import { describeError } from '../events/error-catalogue.js';
import { openStationDatabase } from '../store/database.js';
import type { CliEventSink } from './cli-events.js';
import { startBehaviour } from './cli-behaviour.js';
import { CliFleet, type FleetCounts } from './cli-fleet.js';
import type { FleetWorkerData, FromFleetWorker, ToFleetWorker } from './fleet-worker-protocol.js';

/** As the single-thread CLI: how often moving meters are written (what a power loss can lose). */
const METER_FLUSH_MS = 5000;
/** How often changed counts are sent to the main thread (its progress line shows them every second). */
const COUNTS_MS = 500;

if (parentPort === null) throw new Error('src/cli/fleet-worker.ts runs only as a worker thread (--workers)');
const port = parentPort;
const data = workerData as FleetWorkerData;
const post = (message: FromFleetWorker) => port.postMessage(message);

const clock = createStationClock(data.clockStart);
const events: CliEventSink = {
  emit(event) {
    try {
      post({ type: 'event', event, time: clock.nowIso() });
    } catch {
      // Not structured-cloneable (a function or a class with private state in `data`): the JSON form
      // is what --json prints anyway.
      post({ type: 'event', event: JSON.parse(JSON.stringify(event)) as typeof event, time: clock.nowIso() });
    }
  },
};

// --behaviour: this worker's stations act on their own from their first start (the main thread
// announced the run and its seed once).
const behaviour = data.behaviour
  ? startBehaviour(data.behaviour.spec, { clock, seed: data.behaviour.seed, events })
  : undefined;
const store = await openStationDatabase(data.dbPath);
const fleet = await CliFleet.create({
  pattern: data.pattern,
  count: data.count,
  range: data.range,
  rate: data.rate,
  store,
  csmsUrl: data.csmsUrl,
  overrides: data.overrides,
  clock,
  events,
  human: data.human,
  onQuit: () => post({ type: 'quit' }),
  onFatal: (error) =>
    post({
      type: 'fatal',
      message: error instanceof Error ? error.message : String(error),
      code: describeError(error).code,
    }),
  signingMeter: data.signingMeter,
  masterPassUi: data.masterPassUi,
  ...(data.firmwareDuringTx ? { firmwareDuringTx: data.firmwareDuringTx } : {}),
  ...(data.certificates ? { certificates: data.certificates } : {}),
  ...(behaviour ? { onStarted: behaviour.attach.bind(behaviour) } : {}),
});

let lastCounts = '';
const sendCounts = (counts: FleetCounts = fleet.counts()) => {
  const text = JSON.stringify(counts);
  if (text === lastCounts) return;
  lastCounts = text;
  post({ type: 'counts', counts });
};
const countsTimer = setInterval(sendCounts, COUNTS_MS);
// Like the main thread's: keeps the registers on disk and the thread alive while it is offline.
const meterTimer = setInterval(() => void fleet.flushMeters(), METER_FLUSH_MS);
sendCounts();

let stopping = false;
port.on('message', (message: ToFleetWorker) => {
  if (message.type === 'line') {
    if (!stopping) void fleet.submit(message.line);
    return;
  }
  if (stopping) return;
  stopping = true;
  void stop();
});
void fleet.start();

/** Stops the stations cleanly (queued commands finish, meters written), closes the database, exits. */
async function stop(): Promise<void> {
  clearInterval(countsTimer);
  clearInterval(meterTimer);
  // The summary counts what ran, before the stations stop (as the single-thread fleet's).
  const counts = fleet.counts();
  behaviour?.stop();
  try {
    await fleet.stop();
    // Lines queued before the stop still ran: the transactions they started or ended count too.
    const after = fleet.counts();
    counts.transactionsStarted = after.transactionsStarted;
    counts.transactionsEnded = after.transactionsEnded;
    await store.close();
  } catch (error) {
    events.emit({
      type: 'error',
      message: `while stopping: ${error instanceof Error ? error.message : String(error)}`,
      fatal: false,
    });
  }
  post({ type: 'stopped', counts });
  // Nothing else is expected: closing the port lets the thread end.
  port.close();
}
