/**
 * `npm run bench -- session-ids`: what each charging session leaves behind in a process, apart from
 * IO (issue 9). One EVSE actor of the real charts (evse, connector, transaction; effects left as the
 * charts' stubs) runs sessions one after the other: EV plugged, EV unplugged (the session's actor is
 * spawned and finishes, as every session's does). Heap after GC is sampled after a warm-up and after each block of
 * sessions; the slope is the heap a session keeps for good. Printed with the distinct event types
 * the EVSE received, which is what xstate's per-state-node transition cache is keyed by (a child id
 * per transaction made that one type per session). Options: --sessions N (default 20,000).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createActor } from 'xstate';
import { evseMachine } from '../machines/evse.js';
import type { TxSettings } from '../machines/transaction-rules.js';
import { TX_SETTINGS } from '../test/machines/tx-settings-fixture.js';

// The shipped defaults of the machine tests, without the EV connection timeout (no timer per session).
const SETTINGS: TxSettings = { ...TX_SETTINGS, evConnectionTimeOutS: 0 };

function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

export async function run(): Promise<void> {
  const { values } = parseArgs({ options: { sessions: { type: 'string', default: '20000' } }, strict: false });
  const sessions = Number(values.sessions);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const types = new Set<string>();
  const evse = createActor(evseMachine, {
    input: { evseId: 1, connectorIds: [1], txSettings: SETTINGS },
    inspect: (e) => {
      if (e.type === '@xstate.event' && e.actorRef.sessionId === e.rootId) types.add(e.event.type);
    },
  });
  evse.start();
  const at = '2026-01-01T00:00:00.000Z';
  // An EV plugged and unplugged without a token: a session opens (its actor spawned) and ends
  // without a transaction (its actor done): the path every session takes through the EVSE.
  const session = () => {
    const txId = randomUUID();
    evse.send({ type: 'hw.plugged', connectorId: 1, at, txId });
    evse.send({ type: 'hw.unplugged', connectorId: 1, at });
    if (evse.getSnapshot().context.session !== null) throw new Error(`session ${txId} did not end`);
  };
  const warmUp = Math.min(1000, Math.floor(sessions / 10));
  for (let i = 0; i < warmUp; i++) session();
  const typesAfterWarmUp = types.size;
  const blocks = 5;
  const perBlock = Math.floor((sessions - warmUp) / blocks);
  const samples: Array<[number, number]> = [[0, heapAfterGc(gc)]];
  for (let b = 1; b <= blocks; b++) {
    for (let i = 0; i < perBlock; i++) session();
    samples.push([b * perBlock, heapAfterGc(gc)]);
  }
  evse.stop();
  const perSession = slope(samples);
  console.log(`one EVSE, ${warmUp} warm-up sessions, then ${blocks} blocks of ${perBlock} sessions (plug, unplug)`);
  console.log('\n   sessions   heap after GC (MB)');
  for (const [n, heap] of samples) console.log(`${String(n).padStart(11)}   ${(heap / 1e6).toFixed(2).padStart(18)}`);
  console.log(`\n  heap kept per session: ${perSession.toFixed(1)} bytes (least squares over the blocks)`);
  console.log(`  distinct event types the EVSE received: ${typesAfterWarmUp} after the warm-up, ${types.size} at the end`);
}
