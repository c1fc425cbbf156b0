import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reserveNow, nextStatus, statusesOf } from '../test/integration/reservations-helpers.js';
import { settle, startTxHarness, OTHER_TOKEN } from '../test/integration/transactions-helpers.js';

test('dbg', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 1, evseId: 1 }), 'Accepted');
  assert.equal(await reserveNow(h, { id: 2, idToken: OTHER_TOKEN }), 'Accepted');
  await settle(h);
  console.log(statusesOf(h, 1), statusesOf(h, 2));
  await h.restart();
  await h.csms.waitForCall('BootNotification', (c) => true);
  await new Promise((r) => setTimeout(r, 3000));
  console.log(statusesOf(h, 1), statusesOf(h, 2), h.station.connectorStatus(1,1), h.station.connectorStatus(2,1));
  console.log(h.errors);
  console.log(JSON.stringify(h.station.station.station.getSnapshot().context.reservedEvses), JSON.stringify(h.station.station.station.system.get('connector:1:1')?.getSnapshot().value));
});
