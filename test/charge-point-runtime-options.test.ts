/**
 * stationRuntimeOptions (src/charge-point-runtime-options.ts): the StationRuntime gets the parts
 * the ChargePoint opened and the host's options as given; an option the host left out is left
 * out, so the runtime applies its own default.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stationRuntimeOptions, type StationRuntimeParts } from '../src/charge-point-runtime-options.js';
import type { ChargePointOptions } from '../src/charge-point-options.js';
import { createStationClock } from '../src/clock.js';
import type { DeviceModel } from '../src/device-model/index.js';
import { StationEventBus } from '../src/events/event-bus.js';
import type { StationDatabase } from '../src/store/database.js';

/** Parts the function only passes on: markers stand for the store and the device model. */
function parts(): StationRuntimeParts {
  const clock = createStationClock();
  return {
    store: { file: 'marker.db' } as unknown as StationDatabase,
    deviceModel: { marker: true } as unknown as DeviceModel,
    clock,
    boot: { reason: 'PowerUp', callbacks: {}, settled: () => Promise.resolve() },
    events: new StationEventBus(() => clock.nowIso()),
  };
}

const MINIMAL: ChargePointOptions = {
  stationId: 'CS-1',
  evses: [{ id: 1, connectors: [{ id: 1 }] }],
  database: 'station.db',
};

test('with the required options only, the runtime gets the parts and nothing the host left out', () => {
  const given = parts();
  const options = stationRuntimeOptions(MINIMAL, given);
  assert.deepEqual(Object.keys(options), [
    'stationId',
    'evses',
    'store',
    'deviceModel',
    'clock',
    'callbacks',
    'bootReason',
    'events',
  ]);
  assert.equal(options.stationId, 'CS-1');
  assert.equal(options.evses, MINIMAL.evses);
  assert.equal(options.store, given.store);
  assert.equal(options.deviceModel, given.deviceModel);
  assert.equal(options.clock, given.clock);
  // B01.FR.09: the boot's callbacks (they forget the recorded reason), not the host's own object.
  assert.equal(options.callbacks, given.boot.callbacks);
  assert.equal(options.bootReason, 'PowerUp');
  assert.equal(options.events, given.events);
});

test("the host's options are passed as given, a zero boot retry interval included", () => {
  const onError = (): void => undefined;
  const options = stationRuntimeOptions(
    {
      ...MINIMAL,
      onError,
      bootRetryIntervalS: 0,
      certificates: { install: [{ type: 'CSMSRootCertificate', pem: 'PEM' }] },
    },
    parts(),
  );
  assert.equal(options.onError, onError);
  assert.equal(options.bootRetryIntervalS, 0);
  assert.deepEqual(options.installRoots, [{ type: 'CSMSRootCertificate', pem: 'PEM' }]);
  assert.equal('tls' in options, false);
  assert.equal('smartCharging' in options, false);
});
