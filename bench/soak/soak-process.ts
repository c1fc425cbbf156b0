/**
 * The soak load (issue 9, "Soak"), in its own process started with --expose-gc: N ocpp-station
 * ChargePoints of one StationFleet (2 EVSEs each, one SQLite file) against a CSMS, run accelerated
 * for a bounded time — heartbeats at the CSMS's short interval, and on every EVSE, over and over,
 * a driver's session: plug (status Occupied), token (Authorize, Started), energy (Charging, periodic
 * meter data every TxUpdatedInterval), token again (Ended), unplug (Available) — while RSS and heap
 * are sampled after GC between cycles. Used by bench/soak.ts and test/fault/fleet-soak.test.ts.
 *
 * Arguments: --csms URL --stations N --seconds S (cycles start until then, and until --min-cycles
 * are done) --step-s Y (mean seconds
 * between two steps of one EVSE's session) --db FILE. Sends one {@link SoakResult} to the parent over IPC (or
 * prints it), then exits.
 */
import { parseArgs } from 'node:util';
import type { ChargePoint } from '../../src/charge-point.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import { StationFleet } from '../../src/fleet/station-fleet.js';
import type { MeterValueType } from '../../src/generated/ocpp-types.js';
import type { SoakSample } from './trend.js';

export interface SoakResult {
  stations: number;
  seconds: number;
  /** Whole cycles run (every EVSE one session each). */
  cycles: number;
  samples: SoakSample[];
  /** Sessions that went through every step (Ended sent). */
  transactions: number;
  steps: number;
  /** Station errors during the cycles. */
  errors: number;
  /** Station errors while the fleet booted (connect attempts retried). */
  bootErrors: number;
  firstErrors: string[];
}

const { values } = parseArgs({
  options: {
    csms: { type: 'string' },
    stations: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '120' },
    'step-s': { type: 'string', default: '2' },
    'min-cycles': { type: 'string', default: '8' },
    db: { type: 'string' },
  },
});
const count = Number(values.stations);
const seconds = Number(values.seconds);
const stepS = Number(values['step-s']);
const minCycles = Number(values['min-cycles']);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('bench/soak/soak-process.ts needs node --expose-gc');
if (values.csms === undefined || values.db === undefined)
  throw new Error('soak-process needs --csms and --db');

const EVSES = [
  { id: 1, connectors: [{ id: 1 }] },
  { id: 2, connectors: [{ id: 1 }] },
];
const overrides = [
  'SampledDataCtrlr.TxUpdatedInterval=2',
  'OCPPCommCtrlr.WebSocketPingInterval=0',
  'OCPPCommCtrlr.RetryBackOffWaitMinimum=1',
].map(parseSetArgument);

let errors = 0;
/** Failures while the fleet boots (a connect attempt refused or timed out is retried): not counted in `errors`. */
let bootErrors = 0;
let booting = true;
const firstErrors: string[] = [];
const onError = (error: unknown) => {
  if (booting) {
    bootErrors++;
    return;
  }
  errors++;
  if (firstErrors.length < 5) firstErrors.push(error instanceof Error ? error.message : String(error));
};

const fleet = await StationFleet.create({ database: values.db, evses: EVSES });
const stations: Array<{ id: string; cp: ChargePoint }> = [];
const connected: Array<Promise<void>> = [];
for (let i = 1; i <= count; i++) {
  const id = `SOAK${String(i).padStart(5, '0')}`;
  let up!: () => void;
  connected.push(new Promise<void>((resolve) => (up = resolve)));
  const callbacks = { connectionStateChangedCallback: (isUp: boolean) => isUp && up() };
  stations.push({
    id,
    cp: fleet.chargePoint({ stationId: id, csmsUrl: values.csms, overrides, onError, callbacks }),
  });
}
// Starts, at most 50 in progress at once; the cycles begin once every station is connected.
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(50, count) }, async () => {
    while (next < stations.length) await (stations[next++] as { cp: ChargePoint }).cp.start();
  }),
);
await Promise.all(connected);
booting = false;

/** One EVSE's session, a step at a time (never two steps of one EVSE at once). */
interface Session {
  cp: ChargePoint;
  evseId: number;
  token: { idToken: string; type: 'ISO14443' };
  step: number;
  energyWh: number;
}
const sessions: Session[] = stations.flatMap(({ id, cp }) =>
  EVSES.map((e) => ({
    cp,
    evseId: e.id,
    token: { idToken: `${id}-E${e.id}`, type: 'ISO14443' as const },
    step: 0,
    energyWh: 0,
  })),
);
let transactions = 0;
let steps = 0;

async function advance(s: Session): Promise<void> {
  const reading = (): MeterValueType => ({
    timestamp: new Date().toISOString(),
    sampledValue: [{ value: (s.energyWh += 250) }],
  });
  switch (s.step) {
    case 0:
      s.cp.onSessionStarted(s.evseId, 1);
      break;
    case 1:
      await s.cp.onAuthorizationPresented(s.token, s.evseId);
      break;
    case 2:
      s.cp.onMeterValue(s.evseId, reading());
      s.cp.onEnergyTransferStarted(s.evseId);
      break;
    case 3:
      s.cp.onMeterValue(s.evseId, reading());
      await s.cp.onAuthorizationPresented(s.token, s.evseId);
      transactions++;
      break;
    default:
      s.cp.onSessionFinished(s.evseId, 1);
  }
  s.step = (s.step + 1) % 5;
  steps++;
}

/** Heap and RSS after full GCs: the least of three readings (what a reading adds is noise). */
async function settledMemory(): Promise<{ rss: number; heapUsed: number }> {
  let best = { rss: Infinity, heapUsed: Infinity };
  for (let i = 0; i < 3; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { rss, heapUsed } = process.memoryUsage();
    best = { rss: Math.min(best.rss, rss), heapUsed: Math.min(best.heapUsed, heapUsed) };
  }
  return best;
}

/** Until every station has sent everything and written its state (a comparable point). */
async function quiet(): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await Promise.all(
      stations.map(({ cp }) => cp.station.persistence.flushed().then(() => cp.station.queue.idle())),
    );
    if (stations.every(({ cp }) => cp.station.queue.size === 0)) return;
  }
}

// Cycles: in each, every EVSE goes through one whole session, its steps at random moments (a mean
// of step-s apart); a sample is taken between cycles, when every EVSE is idle again and every queue
// empty, so samples compare like with like and what grows from one to the next is what sessions
// leave behind. Heartbeats run throughout.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const samples: SoakSample[] = [];
const t0 = performance.now();
let cycles = 0;
while ((performance.now() - t0) / 1000 < seconds || cycles < minCycles) {
  await Promise.all(
    sessions.map(async (s) => {
      for (let step = 0; step < 5; step++) {
        await sleep(Math.random() * 2 * stepS * 1000);
        await advance(s).catch(onError);
      }
    }),
  );
  await quiet();
  cycles++;
  samples.push({ t: (performance.now() - t0) / 1000, cycle: cycles, ...(await settledMemory()) });
}

const result: SoakResult = {
  stations: count,
  seconds,
  cycles,
  samples,
  transactions,
  steps,
  errors,
  bootErrors,
  firstErrors,
};
if (process.send) process.send(result, () => process.exit(0));
else {
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
