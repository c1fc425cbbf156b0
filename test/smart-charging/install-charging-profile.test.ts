import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  installChargingProfile,
  removeTransactionProfiles,
  validateChargingProfile,
} from '../../src/smart-charging/index.js';
import { installed, profile, station, T0 } from './fixtures.js';

test('K01.FR.05: installing an accepted profile removes the one it replaces', () => {
  const before = [installed(1, profile({ id: 1 })), installed(2, profile({ id: 2 }))];
  const next = profile({ id: 1, stackLevel: 3 });
  const result = validateChargingProfile(next, {
    station: station(),
    profiles: before,
    transactions: [],
    evseId: 2,
    origin: 'SetChargingProfile',
    now: T0,
  });
  assert.equal(result.status, 'Accepted');
  if (result.status !== 'Accepted') return;
  const after = installChargingProfile(before, { evseId: 2, profile: next }, result.replaces);
  assert.deepEqual(
    after.map((e) => [e.evseId, e.profile.id, e.profile.stackLevel]),
    [
      [2, 2, 0],
      [2, 1, 3],
    ],
  );
});

test('K02.FR.05: the TxProfiles of an ended transaction are deleted, other profiles stay', () => {
  const list = [
    installed(1, profile({ id: 1, chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1' })),
    installed(
      1,
      profile({ id: 2, chargingProfilePurpose: 'TxProfile', transactionId: 'tx-2', stackLevel: 1 }),
    ),
    installed(1, profile({ id: 3 })),
  ];
  assert.deepEqual(
    removeTransactionProfiles(list, 'tx-1').map((e) => e.profile.id),
    [2, 3],
  );
});
