/** DeviceModel.setHostValues: several host writes in one store transaction (issue 9, boot storm). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceModelChange } from '../../src/device-model/device-model.js';
import type { VariableRef } from '../../src/device-model/types.js';
import { openExample } from './helpers.js';

const evse = (evseId: number): VariableRef => ({ component: 'EVSE', evseId, variable: 'AvailabilityState' });

test('the values are readable, told to listeners and stored (a restart reads them); refused ones are skipped', async () => {
  const first = await openExample();
  const changes: DeviceModelChange[] = [];
  first.model.onChange((change) => changes.push(change));
  await first.model.setHostValues([
    { ref: evse(1), value: 'Unavailable' },
    { ref: { component: 'NoSuchCtrlr', variable: 'X' }, value: '1' },
    { ref: evse(2), value: 'Occupied' },
    // Not of its type: refused as `set` would refuse it.
    { ref: { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }, value: 'soon' },
  ]);
  assert.equal(first.model.get(evse(1)), 'Unavailable');
  assert.equal(first.model.get(evse(2)), 'Occupied');
  assert.deepEqual(
    changes.map((c) => [c.ref.evseId, c.value, c.previous, c.source]),
    [
      // The shipped EVSE AvailabilityState is Available (config/PROVENANCE.md).
      [1, 'Unavailable', 'Available', 'host'],
      [2, 'Occupied', 'Available', 'host'],
    ],
  );
  await first.store.close();
  const again = await openExample({ file: first.file });
  assert.equal(again.model.get(evse(1)), 'Unavailable');
  assert.equal(again.model.get(evse(2)), 'Occupied');
  assert.notEqual(again.model.get({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }), 'soon');
  await again.store.close();
});

test('a failing store changes nothing and throws', async () => {
  const { model, store } = await openExample();
  await store.close();
  await assert.rejects(model.setHostValues([{ ref: evse(1), value: 'Unavailable' }]));
  assert.equal(model.get(evse(1)), 'Available');
});
