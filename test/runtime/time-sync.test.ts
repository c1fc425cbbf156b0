import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStationClock } from '../../src/clock.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import { csmsIsTimeSource, syncClockFromCsms } from '../../src/runtime/time-sync.js';
import { openExample } from '../device-model/helpers.js';

async function model(timeSource?: string) {
  const overrides = timeSource === undefined ? [] : [parseSetArgument(`ClockCtrlr.TimeSource=${timeSource}`)];
  const opened = await openExample({ overrides });
  return opened;
}

function context(deviceModel: Awaited<ReturnType<typeof model>>['model']) {
  const synced: string[] = [];
  const errors: unknown[] = [];
  const clock = createStationClock('2026-01-01T00:00:00Z', () => 0);
  return {
    synced,
    errors,
    ctx: {
      deviceModel,
      clock,
      callbacks: { timeSyncCallback: (time: string) => synced.push(time) },
      reportError: (e: unknown) => errors.push(e),
    },
  };
}

for (const [timeSource, follows] of [
  [undefined, true],
  ['Heartbeat', true],
  ['NTP,Heartbeat', true],
  ['RealTimeClock', false],
  ['NTP,GPS', false],
] as const) {
  test(`B01.FR.06 / G02.FR.06: TimeSource ${timeSource ?? '(example: Heartbeat)'} ${follows ? 'follows' : 'ignores'} the CSMS time`, async (t) => {
    const { model: dm, store } = await model(timeSource);
    t.after(() => store.close());
    const { ctx, synced } = context(dm);
    assert.equal(csmsIsTimeSource(dm), follows);
    assert.equal(syncClockFromCsms(ctx, '2030-06-01T12:00:00.000Z'), follows);
    assert.equal(ctx.clock.nowIso(), follows ? '2030-06-01T12:00:00.000Z' : '2026-01-01T00:00:00.000Z');
    assert.deepEqual(synced, follows ? ['2030-06-01T12:00:00.000Z'] : []);
  });
}

test('an unreadable time is reported, not thrown, and leaves the clock and the host alone', async (t) => {
  const { model: dm, store } = await model();
  t.after(() => store.close());
  const { ctx, synced, errors } = context(dm);
  assert.equal(syncClockFromCsms(ctx, 'yesterday'), false);
  assert.equal(ctx.clock.nowIso(), '2026-01-01T00:00:00.000Z');
  assert.deepEqual(synced, []);
  assert.ok(errors[0] instanceof RangeError);
});

test('SettingSystemTime (appendix 1): reported when the clock moves more than TimeAdjustmentReportingThreshold', async (t) => {
  const opened = await openExample({
    overrides: [parseSetArgument('ClockCtrlr.TimeAdjustmentReportingThreshold=60')],
  });
  t.after(() => opened.store.close());
  const events: string[] = [];
  const { ctx } = context(opened.model);
  const withEvents = { ...ctx, securityEvent: (type: string) => events.push(type) };
  syncClockFromCsms(withEvents, '2026-01-01T00:00:59.000Z');
  assert.deepEqual(events, [], 'moved 59 s: within the threshold');
  syncClockFromCsms(withEvents, '2026-01-01T00:02:00.000Z');
  assert.deepEqual(events, ['SettingSystemTime']);
});

test('SettingSystemTime: with a threshold of 0 no adjustment is reported', async (t) => {
  const { model: dm, store } = await openExample({
    overrides: [parseSetArgument('ClockCtrlr.TimeAdjustmentReportingThreshold=0')],
  });
  t.after(() => store.close());
  const events: string[] = [];
  const { ctx } = context(dm);
  syncClockFromCsms(
    { ...ctx, securityEvent: (type: string) => events.push(type) },
    '2030-01-01T00:00:00.000Z',
  );
  assert.deepEqual(events, []);
});
