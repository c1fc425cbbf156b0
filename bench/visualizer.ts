/**
 * Visualizer figures:
 * - what a listened-to station pays for its public `state` events: inspection events/s through
 *   src/events/state-events.ts (a snapshot whose value did not change, the common case: a context
 *   change) against a bare observer doing the same property reads (the baseline, same run);
 * - serializing every production machine for the page (ms) and the size of the charts (bytes of JSON).
 */
import type { InspectionEvent } from 'xstate';
import { machineChart } from '../src/visualizer/machine-graph.js';
import { PRODUCTION_MACHINES } from '../src/visualizer/production-machines.js';
import { StateEvents } from '../src/events/state-events.js';

function opsPerSecond(fn: () => void, minMs = 400): number {
  for (let i = 0; i < 10_000; i++) fn(); // warm up the JIT
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 10_000; i++) fn();
    n += 10_000;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

/** A transaction actor's snapshot as the inspection stream sends it on a context change. */
const snapshotEvent = {
  type: '@xstate.snapshot',
  rootId: 'x:0',
  actorRef: { sessionId: 'x:5', systemId: 'transaction:T1', logic: { id: 'transaction' } },
  event: { type: 'meter.value' },
  snapshot: {
    status: 'active',
    value: {
      transaction: {
        chargingState: 'Charging',
        authorization: 'authorized',
        evConnection: 'off',
        periodic: 'armed',
        endedSample: 'armed',
        clock: 'armed',
        alignedEndedSample: 'armed',
      },
    },
  },
} as unknown as InspectionEvent;

export async function run(): Promise<void> {
  let emitted = 0;
  const states = new StateEvents({ active: true, emit: () => (emitted += 1) });
  let seen = 0;
  const baseline = (event: InspectionEvent) => {
    if (event.type === '@xstate.snapshot' && (event.actorRef as { systemId?: string }).systemId) seen += 1;
  };
  const bare = opsPerSecond(() => baseline(snapshotEvent));
  const adapter = opsPerSecond(() => states.inspect(snapshotEvent));
  console.log(
    `inspection snapshot, value unchanged: adapter ${(adapter / 1e6).toFixed(2)} M/s, bare observer ${(bare / 1e6).toFixed(2)} M/s (${(bare / adapter).toFixed(1)}x); state events emitted: ${emitted} (the first only)`,
  );
  if (seen === 0) throw new Error('baseline did not run');

  const started = performance.now();
  const rounds = 20;
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const charts = Object.values(PRODUCTION_MACHINES).map((m) => machineChart(m));
    bytes = JSON.stringify(charts).length;
  }
  const ms = (performance.now() - started) / rounds;
  const counts = Object.values(PRODUCTION_MACHINES)
    .map((m) => {
      const c = machineChart(m);
      return `${c.machine} ${c.stateCount}/${c.transitionCount}`;
    })
    .join(', ');
  console.log(
    `serializing the ${Object.keys(PRODUCTION_MACHINES).length} production machines: ${ms.toFixed(2)} ms, ${(bytes / 1024).toFixed(1)} KiB of JSON (states/transitions: ${counts})`,
  );
}
