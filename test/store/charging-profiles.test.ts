import { test } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import type { ChargingProfileType } from '../../src/generated/ocpp-types.js';
import {
  deleteChargingProfiles,
  loadChargingProfiles,
  saveChargingProfile,
} from '../../src/store/charging-profiles.js';
import { openStationDatabase } from '../../src/store/database.js';
import { tempDatabase } from '../helpers/temp-db.js';

const profile = (id: number, limit = 16): ChargingProfileType => ({
  id,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: [
    {
      id: 1,
      startSchedule: '2024-01-01T00:00:00Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit }],
    },
  ],
});
const NOW = '2024-01-01T00:00:00.000Z';

test('profiles survive a reopen in installation order; a replaced one goes last', async () => {
  const store = await tempDatabase();
  await saveChargingProfile(store.db, 'CS-1', { evseId: 1, profile: profile(1), installedAt: NOW }, []);
  await saveChargingProfile(
    store.db,
    'CS-1',
    { evseId: 0, profile: profile(-1), chargingLimitSource: 'EMS', installedAt: NOW },
    [],
  );
  await saveChargingProfile(store.db, 'CS-1', { evseId: 2, profile: profile(1, 10), installedAt: NOW }, [1]);
  await saveChargingProfile(store.db, 'CS-2', { evseId: 1, profile: profile(1), installedAt: NOW }, []);
  await store.close();

  const reopened = await openStationDatabase(store.path);
  const { profiles, unreadable } = await loadChargingProfiles(reopened.db, 'CS-1');
  assert.deepEqual(unreadable, []);
  assert.deepEqual(
    profiles.map((p) => [
      p.profile.id,
      p.evseId,
      p.chargingLimitSource,
      p.profile.chargingSchedule[0].chargingSchedulePeriod[0].limit,
    ]),
    [
      [-1, 0, 'EMS', 16],
      [1, 2, 'CSO', 10],
    ],
  );
  await deleteChargingProfiles(reopened.db, 'CS-1', [1, -1]);
  assert.deepEqual((await loadChargingProfiles(reopened.db, 'CS-1')).profiles, []);
  assert.equal((await loadChargingProfiles(reopened.db, 'CS-2')).profiles.length, 1);
  await reopened.close();
});

test('a corrupt row is reported by profile id, not thrown', async () => {
  const store = await tempDatabase();
  await saveChargingProfile(store.db, 'CS-1', { evseId: 1, profile: profile(5), installedAt: NOW }, []);
  await saveChargingProfile(store.db, 'CS-1', { evseId: 1, profile: profile(6), installedAt: NOW }, []);
  await store.close();
  const raw = new SQLite(store.path);
  raw.prepare("UPDATE charging_profile SET profile_json = '{broken' WHERE profile_id = 5").run();
  raw.prepare('UPDATE charging_profile SET profile_json = \'{"id": 99}\' WHERE profile_id = 6').run();
  raw.close();
  const reopened = await openStationDatabase(store.path);
  const { profiles, unreadable } = await loadChargingProfiles(reopened.db, 'CS-1');
  assert.deepEqual(profiles, []);
  assert.deepEqual(
    unreadable.map((u) => u.profileId),
    [5, 6],
  );
  assert.match(unreadable[0]?.problem ?? '', /not JSON/);
  assert.match(unreadable[1]?.problem ?? '', /not the charging profile 6/);
  await reopened.close();
});

test('a failed save leaves the stored set as it was', async () => {
  const store = await tempDatabase();
  await saveChargingProfile(store.db, 'CS-1', { evseId: 1, profile: profile(1), installedAt: NOW }, []);
  const circular = profile(2) as ChargingProfileType & { self?: unknown };
  circular.self = circular;
  await assert.rejects(
    saveChargingProfile(store.db, 'CS-1', { evseId: 1, profile: circular, installedAt: NOW }, [1]),
    /circular/i,
  );
  assert.deepEqual(
    (await loadChargingProfiles(store.db, 'CS-1')).profiles.map((p) => p.profile.id),
    [1],
  );
  await store.close();
});
