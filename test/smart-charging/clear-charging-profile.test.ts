import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearChargingProfiles } from '../../src/smart-charging/index.js';
import { assertSchemaValid, installed, profile } from './fixtures.js';

const all = [
  installed(0, profile({ id: 1, chargingProfilePurpose: 'ChargingStationMaxProfile' })),
  installed(0, profile({ id: 2, stackLevel: 1 })),
  installed(1, profile({ id: 3, stackLevel: 1 })),
  installed(
    1,
    profile({ id: 4, chargingProfilePurpose: 'ChargingStationExternalConstraints', stackLevel: 1 }),
    { chargingLimitSource: 'EMS' },
  ),
];

test('K10.FR.03: by id the profile is cleared (TC_K_05_CS)', () => {
  const outcome = clearChargingProfiles(all, { chargingProfileId: 3 });
  assert.deepEqual(outcome, { response: { status: 'Accepted' }, clear: [3] });
  assertSchemaValid('ClearChargingProfileResponse', outcome.response);
});

test('K10.FR.01: an unknown id, or criteria matching nothing, give Unknown (TC_K_07/08_CS)', () => {
  assert.deepEqual(clearChargingProfiles(all, { chargingProfileId: 99 }), {
    response: { status: 'Unknown' },
    clear: [],
  });
  assert.deepEqual(
    clearChargingProfiles(all, {
      chargingProfileCriteria: { chargingProfilePurpose: 'ChargingStationMaxProfile', stackLevel: 1 },
    }).response.status,
    'Unknown',
  );
  assert.deepEqual(clearChargingProfiles([], {}).response.status, 'Unknown');
});

test('K10.FR.09: an external limit cannot be cleared by id', () => {
  assert.deepEqual(clearChargingProfiles(all, { chargingProfileId: 4 }), {
    response: { status: 'Unknown' },
    clear: [],
  });
});

test('K10.FR.04: criteria clear every matching profile except external limits (TC_K_06/24_CS)', () => {
  assert.deepEqual(clearChargingProfiles(all, { chargingProfileCriteria: { stackLevel: 1 } }).clear, [2, 3]);
  assert.deepEqual(clearChargingProfiles(all, { chargingProfileCriteria: { evseId: 0 } }).clear, [1, 2]);
  assert.deepEqual(
    clearChargingProfiles(all, {
      chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 },
    }).clear,
    [3],
  );
});

test('K10.FR.08: criteria matching only external limits give Unknown', () => {
  assert.deepEqual(
    clearChargingProfiles(all, { chargingProfileCriteria: { evseId: 1, stackLevel: 1 } }).clear,
    [3],
  );
  assert.deepEqual(clearChargingProfiles([all[3]!], { chargingProfileCriteria: { evseId: 1 } }), {
    response: { status: 'Unknown' },
    clear: [],
  });
});

test('K10.FR.06: criteria naming ChargingStationExternalConstraints are refused', () => {
  const outcome = clearChargingProfiles(all, {
    chargingProfileCriteria: { chargingProfilePurpose: 'ChargingStationExternalConstraints' },
  });
  assert.equal(outcome.response.status, 'Unknown');
  assert.equal(outcome.response.statusInfo?.reasonCode, 'InvalidValue');
  assert.deepEqual(outcome.clear, []);
  assertSchemaValid('ClearChargingProfileResponse', outcome.response);
});

test('an id with criteria clears the profile only when the criteria match too; no id and no criteria clears all but external limits', () => {
  assert.deepEqual(
    clearChargingProfiles(all, { chargingProfileId: 3, chargingProfileCriteria: { evseId: 0 } }).response
      .status,
    'Unknown',
  );
  assert.deepEqual(
    clearChargingProfiles(all, { chargingProfileId: 3, chargingProfileCriteria: { evseId: 1 } }).clear,
    [3],
  );
  assert.deepEqual(clearChargingProfiles(all, {}).clear, [1, 2, 3]);
});
