/**
 * The AvailabilityState mirror stores the values queued in one run together (issue 9, boot storm):
 * a boot whose EVSEs are not Available (restored Inoperative) stores their values in one store
 * transaction, not one each, a fresh boot none (the shipped values are Available), and every value
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
async function countingModel(batching: boolean, initial?: ConstructorParameters<typeof AvailabilityStateMirror>[3]) {
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
  const mirror = new AvailabilityStateMirror(port, TWO_EVSES, (e) => assert.fail(String(e)), initial);
  return { model, mirror, calls, close: () => store.close() };
}

/** Both EVSEs' connectors report `status` in one run, as at a boot. */
async function bootReports(mirror: AvailabilityStateMirror, status: 'Available' | 'Unavailable' = 'Available'): Promise<void> {
  mirror.connectorStatus(1, 1, status);
  mirror.connectorStatus(2, 1, status);
  await mirror.flushed();
}

/** A station whose two EVSEs were Inoperative when it stopped (restored so). */
const INOPERATIVE = { stationOperative: true, evseOperative: new Map([[1, false], [2, false]]) };

const UNAVAILABLE_BOOT = [
  'Connector1=Unavailable',
  'EVSE1=Unavailable',
  'ChargingStation=Unavailable',
  'Connector2=Unavailable',
  'EVSE2=Unavailable',
];

test('a fresh boot stores nothing: every AvailabilityState is Available as shipped (config/PROVENANCE.md)', async () => {
  const m = await countingModel(true);
  const { mirror } = m;
  await bootReports(mirror);
  assert.deepEqual(m.calls, []);
  assert.equal(m.model.get(evse(1)), 'Available');
  assert.equal(m.model.get(evse(2)), 'Available');

  // One status change: the connector, its EVSE and the station, together and readable after.
  mirror.connectorStatus(1, 1, 'Occupied');
  await mirror.flushed();
  assert.deepEqual(m.calls, [['Connector1=Occupied', 'EVSE1=Occupied', 'ChargingStation=Occupied']]);
  assert.equal(m.model.get(connector(1)), 'Occupied');
  assert.equal(m.model.get(STATION), 'Occupied');
  await m.close();
});

test('a boot with both EVSEs Inoperative: their values, the connectors\' and the station\'s in one transaction', async () => {
  const m = await countingModel(true, INOPERATIVE);
  await bootReports(m.mirror, 'Unavailable');
  assert.deepEqual(m.calls, [UNAVAILABLE_BOOT]);
  assert.equal(m.model.get(evse(1)), 'Unavailable');
  assert.equal(m.model.get(evse(2)), 'Unavailable');
  assert.equal(m.model.get(STATION), 'Unavailable');
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
  const m = await countingModel(false, INOPERATIVE);
  await bootReports(m.mirror, 'Unavailable');
  assert.deepEqual(m.calls, UNAVAILABLE_BOOT.map((value) => [value]));
  assert.equal(m.model.get(evse(2)), 'Unavailable');
  await m.close();
});
