import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompositeScheduleType } from '../../src/generated/ocpp-types.js';
import {
  CompositeWatch,
  limitsInForce,
  nextScheduleChange,
} from '../../src/smart-charging/composite-watch.js';
import { periods, T0 } from './fixtures.js';

const composite = (
  evseId: number,
  pairs: [number, number][],
  duration = 3600,
  start = T0,
): CompositeScheduleType => ({
  evseId,
  duration,
  scheduleStart: start,
  chargingRateUnit: 'A',
  chargingSchedulePeriod: periods(...pairs),
});
const t0 = Date.parse(T0);

test('the next change is the earliest second period start, or the earliest end', () => {
  assert.equal(
    nextScheduleChange([
      composite(1, [
        [0, 16],
        [300, 8],
      ]),
      composite(2, [
        [0, 10],
        [120, 6],
      ]),
    ]),
    t0 + 120_000,
  );
  assert.equal(nextScheduleChange([composite(1, [[0, 16]], 900)]), t0 + 900_000);
  assert.equal(nextScheduleChange([]), undefined);
});

test('limits in force compare the first period of every schedule only', () => {
  const a = [
    composite(0, [
      [0, 32],
      [60, 16],
    ]),
    composite(1, [[0, 16]]),
  ];
  const b = [
    composite(0, [
      [0, 32],
      [90, 10],
    ]),
    composite(1, [
      [0, 16],
      [30, 1],
    ]),
  ];
  assert.equal(limitsInForce(a), limitsInForce(b));
  assert.notEqual(limitsInForce(a), limitsInForce([composite(0, [[0, 31]]), composite(1, [[0, 16]])]));
});

// The watch's timers are unref'd (they never keep a station process alive); this one keeps the test's.
function keepAlive(): () => void {
  const handle = setTimeout(() => undefined, 10_000);
  return () => clearTimeout(handle);
}

test('the watch tells the host again when the limit in force changes at a boundary, not before', async () => {
  const release = keepAlive();
  let now = t0 + 119_990; // 10 ms before the boundary at +120 s
  const told: number[] = [];
  let computed = 0;
  const done = new Promise<void>((resolve) => {
    const watch = new CompositeWatch({
      compute: () => {
        computed += 1;
        // Before the boundary: 16 A then 6 A at +120 s; after it: 6 A in force.
        return [
          {
            schedule:
              computed === 1
                ? composite(1, [
                    [0, 16],
                    [120, 6],
                  ])
                : composite(1, [[0, 6]], 3600, '2024-03-04T12:02:00Z'),
          },
        ];
      },
      now: () => now,
      notify: (schedules) => {
        told.push(schedules[0]?.schedule.chargingSchedulePeriod[0].limit ?? -1);
        if (told.length === 2) {
          watch.stop();
          resolve();
        }
      },
      maxCheckIntervalMs: 60_000,
    });
    watch.publish();
    now += 10;
  });
  await done;
  release();
  assert.deepEqual(told, [16, 6]);
});

test('a check that finds the same limits does not tell the host', async () => {
  const release = keepAlive();
  const told: number[] = [];
  let checks = 0;
  await new Promise<void>((resolve) => {
    const watch = new CompositeWatch({
      compute: () => {
        checks += 1;
        if (checks === 3) {
          watch.stop();
          resolve();
        }
        return [{ schedule: composite(1, [[0, 16]]) }];
      },
      now: () => t0,
      notify: (schedules) => told.push(schedules[0]?.schedule.chargingSchedulePeriod[0].limit ?? -1),
      maxCheckIntervalMs: 1,
    });
    watch.publish();
  });
  release();
  assert.deepEqual(told, [16]);
});
