/**
 * simChargePointOptions (src/cli/sim-charge-point-options.ts): what a simulated station's options
 * become for the ChargePoint it boots (the device model's source, the overrides, the firmware
 * option), and ChargePoint errors reported to the boot's event sink.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CliEventBody } from '../../src/cli/cli-events.js';
import { gatedSink } from '../../src/cli/gated-sink.js';
import { simChargePointOptions } from '../../src/cli/sim-charge-point-options.js';
import type { SimulatedStationOptions } from '../../src/cli/simulated-station-options.js';
import { createStationClock } from '../../src/clock.js';
import { tempDatabase } from '../helpers/temp-db.js';

async function stationOptions(
  more: Partial<SimulatedStationOptions> = {},
): Promise<{ options: SimulatedStationOptions; events: CliEventBody[] }> {
  const events: CliEventBody[] = [];
  const store = await tempDatabase();
  return {
    events,
    options: {
      stationId: 'CS-1',
      store,
      csmsUrl: 'ws://127.0.0.1:9/ocpp',
      overrides: [{ ref: { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }, value: '30' }],
      clock: createStationClock(),
      events: { emit: (event) => events.push(event) },
      onQuit: () => undefined,
      onFatal: () => undefined,
      ...more,
    },
  };
}

const EVSES = [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }];

test('a boot gets the station, its EVSEs, store, CSMS, clock, callbacks and overrides; config directory when given', async () => {
  const { options } = await stationOptions({ configDir: '/config' });
  const callbacks = {};
  const cp = await simChargePointOptions(options, EVSES, callbacks, gatedSink(options.events));
  try {
    assert.equal(cp.stationId, 'CS-1');
    assert.deepEqual(cp.evses, [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }]);
    assert.equal(cp.database, options.store);
    assert.equal(cp.csmsUrl, options.csmsUrl);
    assert.equal(cp.clock, options.clock);
    assert.equal(cp.callbacks, callbacks);
    assert.deepEqual(cp.deviceModel, { configDir: '/config', overrides: options.overrides });
    assert.equal(cp.firmware, undefined);
    assert.equal(cp.inspect, undefined);
  } finally {
    await options.store.close();
  }
});

test("a fleet's loaded components win over a config directory; --firmware-during-tx becomes the firmware option", async () => {
  const { options } = await stationOptions({
    configDir: '/config',
    components: [],
    firmwareDuringTx: 'all',
  });
  const cp = await simChargePointOptions(options, EVSES, {}, gatedSink(options.events));
  try {
    assert.deepEqual(cp.deviceModel, { components: [], overrides: options.overrides });
    assert.deepEqual(cp.firmware, { duringTransaction: 'all' });
  } finally {
    await options.store.close();
  }
});

test("a ChargePoint error is an error event of the boot's sink, with its catalogue code, until the sink closes", async () => {
  const { options, events } = await stationOptions();
  const sink = gatedSink(options.events);
  const cp = await simChargePointOptions(options, EVSES, {}, sink);
  try {
    cp.onError?.(new Error('boom'));
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event?.type, 'error');
    assert.equal(event.type === 'error' ? event.message : undefined, 'boom');
    assert.equal(event.type === 'error' ? event.fatal : undefined, false);
    assert.equal(typeof (event.type === 'error' ? event.code : undefined), 'string');
    sink.close();
    cp.onError?.(new Error('after close'));
    assert.equal(events.length, 1);
  } finally {
    await options.store.close();
  }
});
