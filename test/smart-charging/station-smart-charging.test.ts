// The service on a real device model and SQLite file; the queue is a recorder (the websocket path is
// covered by test/integration/smart-charging*.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStationClock } from '../../src/clock.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import type { ChargingProfileType } from '../../src/generated/ocpp-types.js';
import { saveChargingProfile } from '../../src/store/charging-profiles.js';
import type { ChargePointCallbacks } from '../../src/callbacks.js';
import { StationSmartCharging } from '../../src/smart-charging/station-smart-charging.js';
import { openExample, TWO_EVSES } from '../device-model/helpers.js';
import { periods } from './fixtures.js';

const NOW = '2025-06-01T10:00:00Z';

const profile = (
  id: number,
  stackLevel = 0,
  purpose: ChargingProfileType['chargingProfilePurpose'] = 'TxDefaultProfile',
): ChargingProfileType => ({
  id,
  stackLevel,
  chargingProfilePurpose: purpose,
  chargingProfileKind: 'Absolute',
  ...(purpose === 'TxProfile' ? { transactionId: 'tx-1' } : {}),
  chargingSchedule: [
    { id: 1, startSchedule: NOW, chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 16]) },
  ],
});

async function service(
  options: {
    set?: string[];
    callbacks?: ChargePointCallbacks;
    seed?: (db: Awaited<ReturnType<typeof openExample>>['store']['db']) => Promise<void>;
  } = {},
) {
  const { model, store } = await openExample({ overrides: (options.set ?? []).map(parseSetArgument) });
  await options.seed?.(store.db);
  const sent: Array<[string, unknown]> = [];
  const errors: unknown[] = [];
  const smartCharging = new StationSmartCharging({
    stationId: 'CS-1',
    db: store.db,
    deviceModel: model,
    clock: createStationClock(NOW),
    callbacks: options.callbacks ?? {},
    queue: { send: async (action, payload) => void sent.push([action, payload]) },
    evses: TWO_EVSES,
    reportError: (e) => errors.push(e),
  });
  await smartCharging.start();
  return {
    smartCharging,
    model,
    sent,
    errors,
    close: async () => {
      await smartCharging.stop();
      await store.close();
    },
  };
}

test('concurrent SetChargingProfiles are validated one after the other (K01.FR.06 holds)', async () => {
  const s = await service();
  const responses = await Promise.all([
    s.smartCharging.setChargingProfile({ evseId: 1, chargingProfile: profile(1) }),
    s.smartCharging.setChargingProfile({ evseId: 1, chargingProfile: profile(2) }),
    s.smartCharging.setChargingProfile({ evseId: 1, chargingProfile: profile(3, 1) }),
  ]);
  assert.deepEqual(
    responses.map((r) => [r.status, r.statusInfo?.reasonCode]),
    [
      ['Accepted', undefined],
      ['Rejected', 'DuplicateProfile'],
      ['Accepted', undefined],
    ],
  );
  assert.equal(
    s.model.get({
      component: 'SmartChargingCtrlr',
      variable: 'Entries',
      variableInstance: 'ChargingProfiles',
    }),
    '2',
  );
  await s.close();
});

test('a throwing host callback is reported, the profile is still installed', async () => {
  const s = await service({
    callbacks: {
      setChargingProfilesCallback: () => {
        throw new Error('host bug');
      },
      compositeSchedulesChangedCallback: () => {
        throw new Error('host bug 2');
      },
    },
  });
  assert.equal(
    (await s.smartCharging.setChargingProfile({ evseId: 1, chargingProfile: profile(1) })).status,
    'Accepted',
  );
  assert.equal(s.smartCharging.installed().length, 1);
  assert.deepEqual(
    s.errors.map((e) => (e as Error).message),
    ['host bug 2', 'host bug', 'host bug 2'],
  );
  await s.close();
});

test('ChargingProfilePersistence false: such profiles do not survive a restart', async () => {
  const s = await service({
    set: ['SmartChargingCtrlr.ChargingProfilePersistence[TxProfile]=false'],
    seed: async (db) => {
      await saveChargingProfile(
        db,
        'CS-1',
        { evseId: 1, profile: profile(1, 0, 'TxProfile'), installedAt: NOW },
        [],
      );
      await saveChargingProfile(db, 'CS-1', { evseId: 1, profile: profile(2), installedAt: NOW }, []);
    },
  });
  assert.deepEqual(
    s.smartCharging.installed().map((p) => p.profile.id),
    [2],
  );
  assert.match(
    String((s.errors[0] as Error).message),
    /charging profile 1 on EVSE 1 dropped at start: .*ChargingProfilePersistence\[TxProfile\]/,
  );
  await s.close();
});

test('composite schedules for the host: any window and unit; the configured unit by default', async () => {
  const s = await service({ set: ['SmartChargingCtrlr.RateUnit=W,A'] });
  await s.smartCharging.setChargingProfile({ evseId: 1, chargingProfile: profile(1) });
  const [station, evse1, evse2] = s.smartCharging.compositeSchedules({ duration: 600 });
  assert.deepEqual([station?.schedule.evseId, evse1?.schedule.evseId, evse2?.schedule.evseId], [0, 1, 2]);
  assert.equal(evse1?.schedule.chargingRateUnit, 'W');
  assert.equal(evse1?.schedule.scheduleStart, NOW);
  assert.deepEqual(evse1?.schedule.chargingSchedulePeriod, [
    { startPeriod: 0, limit: 11040, numberPhases: 3 },
  ]);
  const amps = s.smartCharging.compositeSchedules({ chargingRateUnit: 'A' });
  assert.equal(amps[1]?.schedule.duration, 86400);
  assert.equal(amps[1]?.schedule.chargingSchedulePeriod[0].limit, 16);
  await s.close();
});

test('a smart-charging variable changed at runtime is applied and the host told', async () => {
  const told: number[] = [];
  const s = await service({
    callbacks: {
      compositeSchedulesChangedCallback: (schedules) =>
        told.push(schedules[1]?.schedule.chargingSchedulePeriod[0].limit ?? -1),
    },
  });
  await s.smartCharging.setChargingProfile({
    evseId: 1,
    chargingProfile: {
      ...profile(1),
      chargingSchedule: [
        { id: 1, startSchedule: NOW, chargingRateUnit: 'W', chargingSchedulePeriod: periods([0, 6900]) },
      ],
    },
  });
  // 6900 W at 230 V on 3 phases = 10 A; at 115 V, 20 A.
  assert.equal(told.at(-1), 10);
  await s.model.set({ component: 'SmartChargingCtrlr', variable: 'SupplyVoltage' }, '115', 'csms');
  assert.equal(told.at(-1), 20);
  await s.close();
});

test('transaction hooks: an unknown EVSE is refused by name; an unknown transaction end changes nothing', async () => {
  const s = await service();
  assert.throws(
    () => s.smartCharging.transactionStarted({ evseId: 3, transactionId: 'tx-3', startTime: NOW }),
    /transaction tx-3: the station has no EVSE 3/,
  );
  await s.smartCharging.setChargingProfile({ evseId: 1, chargingProfile: profile(1) });
  await s.smartCharging.transactionEnded('never-started');
  assert.equal(s.smartCharging.installed().length, 1);
  await s.close();
});

test('nobody listening: nothing is computed; the first listener is told at once, later changes follow', async () => {
  let computed = 0;
  const s = await service();
  // Without a listener or compositeSchedulesChangedCallback the watch stays idle (issue 9: an idle
  // fleet station runs no boundary timer): a profile change computes nothing for the host.
  const original = s.smartCharging.compositeSchedules.bind(s.smartCharging);
  s.smartCharging.compositeSchedules = (options) => {
    computed++;
    return original(options);
  };
  assert.equal(
    (await s.smartCharging.setChargingProfile({ evseId: 1, chargingProfile: profile(1) })).status,
    'Accepted',
  );
  assert.equal(computed, 0);
  const told: number[] = [];
  const unsubscribe = s.smartCharging.onCompositeSchedulesChanged((schedules) =>
    told.push(schedules.find((d) => d.schedule.evseId === 1)?.schedule.chargingSchedulePeriod[0]?.limit ?? -1),
  );
  assert.deepEqual(told, [16]);
  await s.smartCharging.clearChargingProfile({ chargingProfileId: 1 });
  assert.equal(told.length, 2);
  unsubscribe();
  const before = computed;
  await s.smartCharging.setChargingProfile({ evseId: 1, chargingProfile: profile(2) });
  assert.equal(computed, before);
  await s.close();
});

test('an EVSE variable that feeds no setting (AvailabilityState) computes nothing; EVSE.SupplyPhases does (issue 9)', async () => {
  let told = 0;
  const s = await service({ callbacks: { compositeSchedulesChangedCallback: () => void told++ } });
  const afterStart = told;
  // Written by the AvailabilityState mirror at every boot and status change of every station.
  await s.model.set({ component: 'EVSE', evseId: 1, variable: 'AvailabilityState' }, 'Available', 'host');
  await s.model.set({ component: 'ChargingStation', variable: 'AvailabilityState' }, 'Available', 'host');
  assert.equal(told, afterStart);
  await s.model.set({ component: 'EVSE', evseId: 1, variable: 'SupplyPhases' }, '1', 'host');
  assert.equal(told, afterStart + 1);
  assert.equal(s.smartCharging.state().station.evses.find((e) => e.id === 1)?.supplyPhases, 1);
  await s.close();
});
