import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chargingProfilesReport, selectChargingProfiles } from '../../src/smart-charging/index.js';
import { assertSchemaValid, installed, profile } from './fixtures.js';

const all = [
  installed(0, profile({ id: 1, chargingProfilePurpose: 'ChargingStationMaxProfile' })),
  installed(0, profile({ id: 2, stackLevel: 1 })),
  installed(1, profile({ id: 3, stackLevel: 0 })),
  installed(1, profile({ id: 4, chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1', stackLevel: 2 })),
  installed(1, profile({ id: 5, chargingProfilePurpose: 'ChargingStationExternalConstraints' }), {
    chargingLimitSource: 'EMS',
  }),
  installed(2, profile({ id: 6, stackLevel: 2 })),
];
const ids = (list: { profile: { id: number } }[]) => list.map((entry) => entry.profile.id);

test('K09.FR.05: evseId 0 reports only the profiles installed on the station itself (TC_K_29_CS)', () => {
  assert.deepEqual(
    ids(selectChargingProfiles(all, { requestId: 1, evseId: 0, chargingProfile: {} })),
    [1, 2],
  );
});

test('K09.FR.04: evseId > 0 reports the profiles of that EVSE matching all criteria (TC_K_30/33/35/36_CS)', () => {
  assert.deepEqual(
    ids(selectChargingProfiles(all, { requestId: 1, evseId: 1, chargingProfile: {} })),
    [3, 4, 5],
  );
  assert.deepEqual(
    ids(selectChargingProfiles(all, { requestId: 1, evseId: 1, chargingProfile: { stackLevel: 2 } })),
    [4],
  );
  assert.deepEqual(
    ids(
      selectChargingProfiles(all, {
        requestId: 1,
        evseId: 1,
        chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' },
      }),
    ),
    [3],
  );
  assert.deepEqual(
    ids(
      selectChargingProfiles(all, {
        requestId: 1,
        evseId: 1,
        chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 2 },
      }),
    ),
    [],
  );
});

test('K09.FR.06: without evseId all matching profiles; ids and chargingLimitSource lists match any member (TC_K_31/32/34_CS)', () => {
  assert.deepEqual(
    ids(selectChargingProfiles(all, { requestId: 1, chargingProfile: { stackLevel: 2 } })),
    [4, 6],
  );
  assert.deepEqual(
    ids(selectChargingProfiles(all, { requestId: 1, chargingProfile: { chargingProfileId: [6, 1, 99] } })),
    [1, 6],
  );
  assert.deepEqual(
    ids(
      selectChargingProfiles(all, {
        requestId: 1,
        evseId: 1,
        chargingProfile: { chargingLimitSource: ['EMS', 'SO'] },
      }),
    ),
    [5],
  );
  assert.deepEqual(
    ids(selectChargingProfiles(all, { requestId: 1, chargingProfile: { chargingLimitSource: ['CSO'] } })),
    [1, 2, 3, 4, 6],
  );
});

test('reports: one per EVSE and source, split to the size limit, requestId on each (K09.FR.01), tbc on all but the last (K09.FR.02)', () => {
  const { response, reports } = chargingProfilesReport(
    all,
    { requestId: 42, chargingProfile: {} },
    { maxProfilesPerReport: 2 },
  );
  assert.deepEqual(response, { status: 'Accepted' });
  assert.deepEqual(
    reports.map((r) => [
      r.evseId,
      r.chargingLimitSource,
      r.chargingProfile.map((p) => p.id),
      r.tbc,
      r.requestId,
    ]),
    [
      [0, 'CSO', [1, 2], true, 42],
      [1, 'CSO', [3, 4], true, 42],
      [1, 'EMS', [5], true, 42],
      [2, 'CSO', [6], false, 42],
    ],
  );
  for (const report of reports) assertSchemaValid('ReportChargingProfilesRequest', report);
  assertSchemaValid('GetChargingProfilesResponse', response);
});

test('nothing matching gives NoProfiles and no report (TC_K_05_CS step 4)', () => {
  const result = chargingProfilesReport(all, { requestId: 1, chargingProfile: { chargingProfileId: [77] } });
  assert.deepEqual(result, { response: { status: 'NoProfiles' }, reports: [] });
});
