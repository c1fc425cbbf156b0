/**
 * The AvailabilityState mirror stores the values queued in one run together (issue 9, boot storm):
 * a new station's two EVSE values at boot are one store transaction, not one each, and every value
 * is readable once `flushed()` resolves (as the GetVariables after a StatusNotification needs).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvailabilityStateMirror } from '../../src/runtime/availability-state.js';
import type { DeviceModelPort, VariableRef } from '../../src/runtime/ports.js';
import { openExample, TWO_EVSES } from '../device-model/helpers.js';

const evse = (evseId: number): VariableRef => ({ component: 'EVSE', evseId, variable: 'AvailabilityState' });
const connector = (evseId: number): VariableRef => ({
  component: 'Connector',
  evseId,
  connectorId: 1,
  variable: 'AvailabilityState',
});
const STATION: VariableRef = { component: 'ChargingStation', variable: 'AvailabilityState' };

/** The mirror on the example device model, counting its store calls: a `set` or a `setHostValues` is one transaction. */
async function countingModel(batching: boolean) {
  const { model, store } = await openExample();
  const calls: string[][] = [];
  const port: DeviceModelPort = Object.create(model) as DeviceModelPort;
  port.set = async (ref, value, source) => {
    calls.push([`${ref.component}${ref.evseId ?? ''}=${value}`]);
    return model.set(ref, value, source);
  };
  if (batching) {
    port.setHostValues = async (values) => {
      calls.push(values.map(({ ref, value }) => `${ref.component}${ref.evseId ?? ''}=${value}`));
      return model.setHostValues(values);
    };
  } else Object.defineProperty(port, 'setHostValues', { value: undefined }); // as a port without it
  const mirror = new AvailabilityStateMirror(port, TWO_EVSES, (e) => assert.fail(String(e)));
  return { model, mirror, calls, close: () => store.close() };
}

/** Both EVSEs' connectors report Available in one run, as at a boot. */
async function bootReports(mirror: AvailabilityStateMirror): Promise<void> {
  mirror.connectorStatus(1, 1, 'Available');
  mirror.connectorStatus(2, 1, 'Available');
  await mirror.flushed();
}

test('a boot: both connectors report in one run, the two EVSE values are stored in one transaction', async () => {
  const m = await countingModel(true);
  const { mirror } = m;
  await bootReports(mirror);
  // The connectors' and the station's values equal the configuration's: nothing to store.
  assert.deepEqual(m.calls, [['EVSE1=Available', 'EVSE2=Available']]);
  assert.equal(m.model.get(evse(1)), 'Available');
  assert.equal(m.model.get(evse(2)), 'Available');

  // One status change: the connector, its EVSE and the station, together and readable after.
  mirror.connectorStatus(1, 1, 'Occupied');
  await mirror.flushed();
  assert.deepEqual(m.calls.at(-1), ['Connector1=Occupied', 'EVSE1=Occupied', 'ChargingStation=Occupied']);
  assert.equal(m.model.get(connector(1)), 'Occupied');
  assert.equal(m.model.get(STATION), 'Occupied');
  assert.equal(m.calls.length, 2);
  await m.close();
});

test('the last value queued wins; a write queued while one is stored follows it', async () => {
  const m = await countingModel(true);
  const { mirror } = m;
  mirror.connectorStatus(1, 1, 'Occupied');
  mirror.connectorStatus(1, 1, 'Available');
  await Promise.resolve();
  mirror.connectorStatus(2, 1, 'Faulted');
  await mirror.flushed();
  assert.equal(m.model.get(connector(1)), 'Available');
  assert.equal(m.model.get(evse(1)), 'Available');
  assert.equal(m.model.get(connector(2)), 'Faulted');
  assert.equal(m.model.get(evse(2)), 'Faulted');
  assert.equal(m.model.get(STATION), 'Available');
  await m.close();
});

test('a device model without setHostValues gets the same values one set at a time', async () => {
  const m = await countingModel(false);
  await bootReports(m.mirror);
  assert.deepEqual(m.calls, [['EVSE1=Available'], ['EVSE2=Available']]);
  assert.equal(m.model.get(evse(2)), 'Available');
  await m.close();
});
