/**
 * Public event stream figures (src/events/), each next to a baseline measured in the same run:
 * - `frame` events: a CALL and its CALLRESULT through FrameEvents and the bus to one listener, vs
 *   plain JSON.parse of the same two texts (what any frame log has to do), and with nobody listening;
 * - the bus: an event to 10 listeners vs 10 direct calls.
 * Run: `npm run bench events` (or `npx tsx bench/events.ts`).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { StationEventBus } from '../src/events/event-bus.js';
import { FrameEvents } from '../src/events/frame-events.js';

const NOW = '2026-03-29T00:30:00.000Z';
const call = (id: string) =>
  JSON.stringify([
    2,
    id,
    'TransactionEvent',
    { eventType: 'Updated', seqNo: 3, triggerReason: 'MeterValuePeriodic' },
  ]);
const result = (id: string) => JSON.stringify([3, id, { totalCost: 1.5 }]);

function opsPerSecond(label: string, iterations: number, body: (i: number) => void): number {
  for (let i = 0; i < Math.min(iterations, 10_000); i++) body(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) body(i);
  const perSecond = iterations / ((performance.now() - start) / 1000);
  console.log(`  ${label.padEnd(60)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)} /s`);
  return perSecond;
}

export async function run(): Promise<void> {
  const texts = Array.from({ length: 1024 }, (_, i) => [call(`m-${i}`), result(`m-${i}`)] as const);
  let sink = 0;
  const baseline = opsPerSecond('CALL + CALLRESULT: JSON.parse both (baseline)', 200_000, (i) => {
    const [c, r] = texts[i % texts.length]!;
    sink += (JSON.parse(c) as unknown[]).length + (JSON.parse(r) as unknown[]).length;
  });
  const bus = new StationEventBus(() => NOW);
  bus.subscribe((e) => {
    sink += e.type.length;
  });
  const frames = new FrameEvents(bus);
  const events = opsPerSecond('CALL + CALLRESULT: frame events with latency, 1 listener', 200_000, (i) => {
    const [c, r] = texts[i % texts.length]!;
    frames.frame(c, 'out');
    frames.frame(r, 'in');
  });
  const idle = new FrameEvents(new StationEventBus(() => NOW));
  const quiet = opsPerSecond('CALL + CALLRESULT: frame events, nobody listening', 200_000, (i) => {
    const [c, r] = texts[i % texts.length]!;
    idle.frame(c, 'out');
    idle.frame(r, 'in');
  });
  console.log(
    `  frame events / baseline: ${(events / baseline).toFixed(2)}; idle / baseline: ${(quiet / baseline).toFixed(1)}`,
  );

  const listeners = Array.from({ length: 10 }, () => (e: { type: string }) => {
    sink += e.type.length;
  });
  const direct = opsPerSecond('10 direct calls (baseline)', 1_000_000, () => {
    const event = { type: 'queueDrop', time: NOW };
    for (const l of listeners) l(event);
  });
  const fanout = new StationEventBus(() => NOW);
  for (const l of listeners) fanout.subscribe(l);
  const emitted = opsPerSecond('bus.emit to 10 listeners', 1_000_000, () => {
    fanout.emit({
      type: 'queueDrop',
      action: 'Heartbeat',
      messageId: 'm',
      attempts: 1,
      transaction: false,
      reason: 'x',
    });
  });
  console.log(`  bus / direct: ${(emitted / direct).toFixed(2)}${sink < 0 ? '' : ''}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
