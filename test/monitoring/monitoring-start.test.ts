/**
 * A CSMS request that arrives while the monitors start (the connection opens before they are
 * loaded) waits for the start: it sees the stored and configured monitors, so a new monitor gets the
 * next free id (N04.FR.11) and never takes a configured monitor's, and its row is written after the
 * start's write (which shares a transaction with other stations' starts, src/store/write-batch.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStationClock } from '../../src/clock.js';
import { MonitoringService } from '../../src/monitoring/monitoring-requests.js';
import { REAL_TIMERS } from '../../src/runtime/timers.js';
import { openExample } from '../device-model/helpers.js';

test('N04.FR.11: a SetVariableMonitoring issued in the same turn as the start gets the next free id, after the configured monitors, and is stored', async () => {
  const { model, store } = await openExample();
  const service = new MonitoringService({
    stationId: 'CS-1',
    db: store.db,
    deviceModel: model,
    clock: createStationClock(),
    timers: REAL_TIMERS,
    send: async () => undefined,
    online: () => true,
    transactionId: () => undefined,
    reportError: (error) => assert.fail(String(error)),
  });
  try {
    const started = service.start();
    const answer = service.setVariableMonitoring({
      setMonitoringData: [
        {
          value: 0,
          type: 'LowerThreshold',
          severity: 5,
          component: { name: 'ChargingStation' },
          variable: { name: 'Temperature' },
        },
      ],
    });
    await started;
    const { response } = await answer;
    const [result] = response.setMonitoringResult;
    assert.equal(result?.status, 'Accepted');
    // The example configures monitors 1 (Temperature) and 2 (Problem).
    assert.equal(result?.id, 3);
    assert.deepEqual(
      service.list().map((m) => [m.id, m.variable.name, m.type]),
      [
        [1, 'Temperature', 'UpperThreshold'],
        [2, 'Problem', 'Delta'],
        [3, 'Temperature', 'LowerThreshold'],
      ],
    );
    const rows = await store.db
      .selectFrom('variable_monitor')
      .select(['monitor_id', 'type'])
      .where('station_id', '=', 'CS-1')
      .orderBy('monitor_id')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.monitor_id, r.type]),
      [
        [2, 'Delta'],
        [3, 'LowerThreshold'],
      ],
      'the Delta monitor with the reference it took at start (N07.FR.19) and the new monitor; monitor 1, as configured, needs no row',
    );
  } finally {
    await service.stop();
    await store.close();
  }
});
