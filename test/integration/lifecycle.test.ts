import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './station-harness.js';

test('stop() during start() waits for the start and leaves nothing running', async (t) => {
  const h = await startHarness({ noStart: true });
  t.after(() => h.close());
  const starting = h.station.start();
  await h.station.stop();
  await starting;
  assert.equal(h.station.isConnected, false);
  assert.throws(() => h.station.station, /not started/);
  // It can be started again afterwards, on the same database.
  await h.station.start();
  await h.csms.waitForCall('BootNotification');
});

test('start() twice is refused while the first is running', async (t) => {
  const h = await startHarness({ noStart: true });
  t.after(() => h.close());
  const first = h.station.start();
  await assert.rejects(h.station.start(), /already started/);
  await first;
});
