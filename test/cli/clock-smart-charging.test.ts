/**
 * End to end: the CLI started with `--clock` at a chosen instant computes schedules in that time
 * (a profile starting then applies, GetCompositeSchedule starts then), and `limit` reaches the CSMS.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  GetCompositeScheduleResponse,
  NotifyChargingLimitRequest,
} from '../../src/generated/ocpp-types.js';
import { startTestCsms, type TestCsms } from '../../src/testing/index.js';
import { is, killAll, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';

const processes: CliProcess[] = [];
const servers: TestCsms[] = [];
after(async () => {
  await killAll(processes);
  await Promise.all(servers.map((s) => s.close()));
});

const CLOCK = '2031-07-01T06:00:00Z';

test('--clock: profiles and GetCompositeSchedule run on the simulated time; limit reaches the CSMS', async () => {
  const csms = await startTestCsms();
  servers.push(csms);
  const db = path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-cli-clock-')), 'station.db');
  const station = spawnCli(['--json', '--csms', csms.url, '--id', 'CLI-CLOCK', '--db', db, '--clock', CLOCK]);
  processes.push(station);
  await station.waitFor('registration Accepted', is.registration('Accepted'));

  // A profile of the simulated day: 10 A from 06:00, 6 A from 07:00. With the host's real clock
  // (years earlier) it would not apply yet.
  const set = await csms.call('CLI-CLOCK', 'SetChargingProfile', {
    evseId: 1,
    chargingProfile: {
      id: 1,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: [
        {
          id: 1,
          startSchedule: CLOCK,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 10 },
            { startPeriod: 3600, limit: 6 },
          ],
        },
      ],
    },
  });
  assert.deepEqual(set, { status: 'Accepted' });
  const composite = (await csms.call('CLI-CLOCK', 'GetCompositeSchedule', {
    evseId: 1,
    duration: 7200,
    chargingRateUnit: 'A',
  })) as GetCompositeScheduleResponse;
  assert.equal(composite.status, 'Accepted');
  const start = Date.parse(composite.schedule?.scheduleStart ?? '');
  // Received a few seconds after CLOCK (start-up and boot), far from the host's own time.
  assert.ok(
    start >= Date.parse(CLOCK) && start < Date.parse(CLOCK) + 600_000,
    composite.schedule?.scheduleStart,
  );
  const offset = (start - Date.parse(CLOCK)) / 1000;
  assert.deepEqual(
    composite.schedule?.chargingSchedulePeriod.map((p) => [p.startPeriod, p.limit]),
    [
      [0, 10],
      [3600 - offset, 6],
    ],
  );

  const since = station.mark();
  station.send('limit 0 20 A SO');
  const command = await station.waitFor('limit result', is.command('limit 0 20 A SO'), since);
  assert.equal(command.type === 'command' && command.ok, true);
  const notify = await csms.waitForCall('NotifyChargingLimit', undefined, WAIT_MS);
  assert.deepEqual(notify.payload as NotifyChargingLimitRequest, {
    chargingLimit: { chargingLimitSource: 'SO' },
  });
  const station0 = (await csms.call('CLI-CLOCK', 'GetCompositeSchedule', {
    evseId: 0,
    duration: 60,
  })) as GetCompositeScheduleResponse;
  assert.deepEqual(
    station0.schedule?.chargingSchedulePeriod.map((p) => p.limit),
    [20],
  );

  station.send('quit');
  assert.deepEqual(await station.exited, { code: 0, signal: null });
  assert.deepEqual(csms.validationFailures, []);
});
