import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTxHarness, settle, TOKEN, txEvents } from '../test/integration/transactions-helpers.js';
import { reserveNow, nextStatus, nextReservationUpdate, inSeconds } from '../test/integration/reservations-helpers.js';

test('smoke', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal(await reserveNow(h, { id: 1, evseId: 1 }), 'Accepted');
  await nextStatus(h, 1, 'Reserved');
  console.log(h.station.reservations(), h.station.connectorStatus(1, 1));
  const r = await h.station.onAuthorizationPresented(TOKEN, 1);
  console.log(r);
  await nextStatus(h, 1, 'Available');
  await settle(h);
  console.log(JSON.stringify(txEvents(h)));
  assert.equal(await reserveNow(h, { id: 2, evseId: 2, expiryDateTime: inSeconds(1) }), 'Accepted');
  console.log(await nextReservationUpdate(h));
  console.log(h.errors);
});
