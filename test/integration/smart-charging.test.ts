// K01, K08, K09, K10 through the real path: the strict test CSMS sends the CALLs over a websocket,
// the station validates, stores in SQLite and answers; every message is schema-checked by ocpp-rpc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  GetCompositeScheduleResponse,
  ReportChargingProfilesRequest,
} from '../../src/generated/ocpp-types.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import {
  chargingProfile,
  instant,
  limitNow,
  periods,
  rpcErrorCode,
  startSmartChargingStation,
} from './smart-charging-helpers.js';

const ENTRIES = {
  component: 'SmartChargingCtrlr',
  variable: 'Entries',
  variableInstance: 'ChargingProfiles',
};

test('K01: accepted profiles are stored, replace the same id, drive the composite schedule and the callbacks', async (t) => {
  const h = await startSmartChargingStation();
  t.after(() => h.close());
  const before = h.log.profilesChanged;
  assert.deepEqual(
    await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: chargingProfile({ id: 7 }) }),
    {
      status: 'Accepted',
    },
  );
  assert.equal(h.log.profilesChanged, before + 1);
  // K01.FR.07: the host hears the new limit (16 A on EVSE 1; EVSE 0 = 16 + EVSE 2's 22 kW = 31.8 A).
  const schedules = await h.log.waitForSchedules((s) => limitNow(s, 1) === 16, 'EVSE 1 limited to 16 A');
  assert.equal(limitNow(schedules, 0), 47.8);
  assert.equal(limitNow(schedules, 2), 31.8);
  assert.deepEqual(
    h.station.getCompositeSchedules().map((s) => s.periods[0]?.source),
    ['EvseSum', 'TxDefaultProfile', 'LocalLimit'],
  );

  // K01.FR.05: the same id replaces the profile, also on another EVSE.
  const replacement = chargingProfile({ id: 7, stackLevel: 3 }, { chargingSchedulePeriod: periods([0, 10]) });
  assert.equal(
    (await h.rpc('SetChargingProfile', { evseId: 2, chargingProfile: replacement })).status,
    'Accepted',
  );
  const installed = h.station.station.smartCharging.installed();
  assert.deepEqual(
    installed.map((p) => [p.evseId, p.profile.id, p.profile.stackLevel]),
    [[2, 7, 3]],
  );
  assert.equal(h.station.deviceModel.get(ENTRIES), '1');
  await h.log.waitForSchedules(
    (s) => limitNow(s, 2) === 10 && limitNow(s, 1) === 31.8,
    'the profile moved to EVSE 2',
  );

  // K01.FR.27: it survives a restart.
  await h.restart();
  assert.deepEqual(
    h.station.station.smartCharging.installed().map((p) => [p.evseId, p.profile.id]),
    [[2, 7]],
  );
  assert.equal(h.station.deviceModel.get(ENTRIES), '1');
  assert.deepEqual(h.errors, []);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K01: every rejection is Rejected with a reasonCode and the requirement', async (t) => {
  const h = await startSmartChargingStation({ set: ['SmartChargingCtrlr.RateUnit=A'] });
  t.after(() => h.close());
  await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: chargingProfile({ id: 1 }) });
  const cases: Array<[string, number, ReturnType<typeof chargingProfile>, string, RegExp]> = [
    [
      'TxProfile without a transaction',
      1,
      chargingProfile({ id: 2, chargingProfilePurpose: 'TxProfile', transactionId: 'tx-9' }),
      'TxNotFound',
      /K01\.FR\.09/,
    ],
    [
      'TxProfile without transactionId',
      1,
      chargingProfile({ id: 2, chargingProfilePurpose: 'TxProfile' }),
      'MissingParam',
      /K01\.FR\.03/,
    ],
    [
      'external constraints from the CSMS',
      0,
      chargingProfile({ id: 2, chargingProfilePurpose: 'ChargingStationExternalConstraints' }),
      'InvalidValue',
      /K01\.FR\.22/,
    ],
    ['unknown EVSE', 3, chargingProfile({ id: 2 }), 'UnknownEvse', /K01\.FR\.28/],
    [
      'unit not in RateUnit',
      1,
      chargingProfile({ id: 2, stackLevel: 1 }, { chargingRateUnit: 'W' }),
      'UnsupportedRateUnit',
      /K01\.FR\.26/,
    ],
    ['same stack level, purpose and EVSE', 1, chargingProfile({ id: 2 }), 'DuplicateProfile', /K01\.FR\.06/],
    [
      'first period not at 0',
      1,
      chargingProfile({ id: 2, stackLevel: 1 }, { chargingSchedulePeriod: periods([5, 10]) }),
      'InvalidSchedule',
      /K01\.FR\.31/,
    ],
    [
      'max profile on an EVSE',
      1,
      chargingProfile({ id: 2, chargingProfilePurpose: 'ChargingStationMaxProfile' }),
      'InvalidValue',
      /K04\.FR\.03/,
    ],
    [
      'stack level above ProfileStackLevel',
      1,
      chargingProfile({ id: 2, stackLevel: 43 }),
      'InvalidStackLevel',
      /ProfileStackLevel/,
    ],
  ];
  for (const [name, evseId, profile, reasonCode, requirement] of cases) {
    const response = await h.rpc('SetChargingProfile', { evseId, chargingProfile: profile });
    const statusInfo = response['statusInfo'] as { reasonCode: string; additionalInfo: string };
    assert.equal(response['status'], 'Rejected', name);
    assert.equal(statusInfo.reasonCode, reasonCode, name);
    assert.match(statusInfo.additionalInfo, requirement, name);
  }
  assert.deepEqual(
    h.station.station.smartCharging.installed().map((p) => p.profile.id),
    [1],
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K08: GetCompositeSchedule for an EVSE and for the station; Rejected for unknown EVSE and unit', async (t) => {
  const h = await startSmartChargingStation({ set: ['SmartChargingCtrlr.RateUnit=A'] });
  t.after(() => h.close());
  await h.rpc('SetChargingProfile', {
    evseId: 0,
    chargingProfile: chargingProfile(
      { id: 1, chargingProfilePurpose: 'ChargingStationMaxProfile' },
      { chargingSchedulePeriod: periods([0, 40], [600, 20]) },
    ),
  });
  await h.rpc('SetChargingProfile', {
    evseId: 1,
    chargingProfile: chargingProfile({ id: 2 }, { chargingSchedulePeriod: periods([0, 12]) }),
  });
  const evse = await h.rpc<GetCompositeScheduleResponse>('GetCompositeSchedule', {
    evseId: 1,
    duration: 900,
    chargingRateUnit: 'A',
  });
  assert.equal(evse.status, 'Accepted');
  assert.equal(evse.schedule?.evseId, 1);
  assert.equal(evse.schedule?.duration, 900);
  // 12 A until the max profile drops to 20 A at +600 s: still 12.
  assert.deepEqual(
    evse.schedule?.chargingSchedulePeriod.map((p) => p.limit),
    [12],
  );
  const station = await h.rpc<GetCompositeScheduleResponse>('GetCompositeSchedule', {
    evseId: 0,
    duration: 900,
  });
  assert.equal(station.status, 'Accepted');
  assert.equal(station.schedule?.chargingRateUnit, 'A');
  // K08.FR.03: EVSE 1 (12) + EVSE 2 (31.8) = 43.8, capped by the max profile: 40, then 20.
  const limits = station.schedule?.chargingSchedulePeriod.map((p) => p.limit);
  assert.deepEqual(limits?.slice(-2), [40, 20]);
  const unknown = await h.rpc('GetCompositeSchedule', { evseId: 5, duration: 60 });
  assert.deepEqual(
    [unknown['status'], (unknown['statusInfo'] as { reasonCode: string }).reasonCode],
    ['Rejected', 'UnknownEvse'],
  );
  const unit = await h.rpc('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'W' });
  assert.deepEqual(
    [unit['status'], (unit['statusInfo'] as { reasonCode: string }).reasonCode],
    ['Rejected', 'UnsupportedRateUnit'],
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K09: GetChargingProfiles reports by id, stack level, purpose, source and EVSE, in parts', async (t) => {
  const h = await startSmartChargingStation({ station: { smartCharging: { maxProfilesPerReport: 1 } } });
  t.after(() => h.close());
  await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: chargingProfile({ id: 1 }) });
  await h.rpc('SetChargingProfile', {
    evseId: 1,
    chargingProfile: chargingProfile({ id: 2, stackLevel: 1 }),
  });
  await h.rpc('SetChargingProfile', {
    evseId: 0,
    chargingProfile: chargingProfile(
      { id: 3, chargingProfilePurpose: 'ChargingStationMaxProfile' },
      { chargingSchedulePeriod: periods([0, 63]) },
    ),
  });
  await h.station.onExternalLimit({ evseId: 2, source: 'EMS', limit: 20, unit: 'A' });

  const reports = async (requestId: number, count: number): Promise<ReportChargingProfilesRequest[]> => {
    const got: ReportChargingProfilesRequest[] = [];
    for (let i = 0; i < count; i++) {
      const call = await h.csms.waitForCall(
        'ReportChargingProfiles',
        (c) => (c.payload as ReportChargingProfilesRequest).requestId === requestId,
      );
      got.push(call.payload as ReportChargingProfilesRequest);
    }
    return got;
  };
  const summary = (list: ReportChargingProfilesRequest[]) =>
    list.map((r) => [r.evseId, r.chargingLimitSource, r.chargingProfile.map((p) => p.id).join(','), r.tbc]);

  // K09.FR.06: no evseId, all; split one profile per report (K09.FR.02: tbc on all but the last).
  assert.deepEqual(await h.rpc('GetChargingProfiles', { requestId: 11, chargingProfile: {} }), {
    status: 'Accepted',
  });
  assert.deepEqual(summary(await reports(11, 4)), [
    [0, 'CSO', '3', true],
    [1, 'CSO', '1', true],
    [1, 'CSO', '2', true],
    [2, 'EMS', '-7', false],
  ]);
  // K09.FR.04: one EVSE, by stack level.
  assert.equal(
    (await h.rpc('GetChargingProfiles', { requestId: 12, evseId: 1, chargingProfile: { stackLevel: 1 } }))[
      'status'
    ],
    'Accepted',
  );
  assert.deepEqual(summary(await reports(12, 1)), [[1, 'CSO', '2', false]]);
  // By ids, by purpose, by source.
  await h.rpc('GetChargingProfiles', { requestId: 13, chargingProfile: { chargingProfileId: [3, 1] } });
  assert.deepEqual(
    summary(await reports(13, 2)).map((r) => r[2]),
    ['3', '1'],
  );
  await h.rpc('GetChargingProfiles', {
    requestId: 14,
    chargingProfile: { chargingProfilePurpose: 'ChargingStationExternalConstraints' },
  });
  assert.deepEqual(summary(await reports(14, 1)), [[2, 'EMS', '-7', false]]);
  await h.rpc('GetChargingProfiles', {
    requestId: 15,
    evseId: 0,
    chargingProfile: { chargingLimitSource: ['CSO'] },
  });
  assert.deepEqual(summary(await reports(15, 1)), [[0, 'CSO', '3', false]]);
  // Nothing matches: NoProfiles and no report.
  assert.deepEqual(
    await h.rpc('GetChargingProfiles', {
      requestId: 16,
      evseId: 2,
      chargingProfile: { chargingLimitSource: ['SO'] },
    }),
    { status: 'NoProfiles' },
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K10: ClearChargingProfile by id or criteria (Accepted/Unknown), never an external limit', async (t) => {
  const h = await startSmartChargingStation();
  t.after(() => h.close());
  await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: chargingProfile({ id: 1 }) });
  await h.rpc('SetChargingProfile', { evseId: 2, chargingProfile: chargingProfile({ id: 2 }) });
  await h.rpc('SetChargingProfile', {
    evseId: 2,
    chargingProfile: chargingProfile({ id: 3, stackLevel: 2 }),
  });
  await h.station.onExternalLimit({ evseId: 1, source: 'SO', limit: 8, unit: 'A' });
  const ids = () => h.station.station.smartCharging.installed().map((p) => p.profile.id);
  const changed = h.log.profilesChanged;

  assert.deepEqual(await h.rpc('ClearChargingProfile', { chargingProfileId: 1 }), { status: 'Accepted' });
  assert.deepEqual(ids(), [2, 3, -5]);
  assert.equal(h.log.profilesChanged, changed + 1);
  assert.deepEqual(await h.rpc('ClearChargingProfile', { chargingProfileId: 1 }), { status: 'Unknown' });
  // K10.FR.09: an external limit is not the CSMS's to clear.
  assert.equal((await h.rpc('ClearChargingProfile', { chargingProfileId: -5 }))['status'], 'Unknown');
  assert.deepEqual(
    await h.rpc('ClearChargingProfile', { chargingProfileCriteria: { evseId: 2, stackLevel: 2 } }),
    { status: 'Accepted' },
  );
  assert.deepEqual(ids(), [2, -5]);
  assert.deepEqual(
    await h.rpc('ClearChargingProfile', {
      chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile' },
    }),
    { status: 'Accepted' },
  );
  assert.deepEqual(ids(), [-5]);
  assert.equal(h.station.deviceModel.get(ENTRIES), '1');
  // Gone from the store too.
  await h.restart();
  assert.deepEqual(ids(), [-5]);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K01.FR.29: without smart charging the K messages are answered NotSupported', async (t) => {
  const h = await startSmartChargingStation({ set: ['SmartChargingCtrlr.Enabled=false'] });
  t.after(() => h.close());
  for (const [action, payload] of [
    ['SetChargingProfile', { evseId: 1, chargingProfile: chargingProfile() }],
    ['GetChargingProfiles', { requestId: 1, chargingProfile: {} }],
    ['ClearChargingProfile', { chargingProfileId: 1 }],
    ['GetCompositeSchedule', { evseId: 0, duration: 60 }],
  ] as const) {
    await assert.rejects(h.rpc(action, payload), (e: unknown) => rpcErrorCode(e) === 'NotSupported', action);
  }
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K01.FR.27: profiles are validated again at start; those that no longer hold are dropped and reported', async (t) => {
  const h = await startSmartChargingStation();
  t.after(() => h.close());
  await h.rpc('SetChargingProfile', {
    evseId: 1,
    chargingProfile: chargingProfile(
      { id: 1 },
      { chargingRateUnit: 'W', chargingSchedulePeriod: periods([0, 7000]) },
    ),
  });
  await h.rpc('SetChargingProfile', { evseId: 2, chargingProfile: chargingProfile({ id: 2 }) });
  await h.rpc('SetChargingProfile', {
    evseId: 2,
    chargingProfile: chargingProfile({ id: 3, stackLevel: 5 }),
  });
  // The station is reconfigured: W no longer supported, stack levels up to 4 only.
  await h.restart({
    deviceModel: {
      overrides: ['SmartChargingCtrlr.RateUnit=A', 'SmartChargingCtrlr.ProfileStackLevel=4'].map(
        parseSetArgument,
      ),
    },
  });
  assert.deepEqual(
    h.station.station.smartCharging.installed().map((p) => p.profile.id),
    [2],
  );
  const messages = h.errors.map((e) => String((e as Error).message));
  assert.ok(
    messages.some((m) =>
      /charging profile 1 on EVSE 1 dropped at start: UnsupportedRateUnit \(K01\.FR\.26/.test(m),
    ),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) => /charging profile 3 on EVSE 2 dropped at start: InvalidStackLevel/.test(m)),
    messages.join('\n'),
  );
  assert.equal(h.station.deviceModel.get(ENTRIES), '1');
});

test('K01 start time: a profile starting in the future takes effect at its start (K01.FR.30), the host is told then', async (t) => {
  const h = await startSmartChargingStation();
  t.after(() => h.close());
  // 10 A now, 6 A two seconds from now: the station re-evaluates at the boundary by itself.
  const start = instant();
  await h.rpc('SetChargingProfile', {
    evseId: 1,
    chargingProfile: chargingProfile(
      { id: 1 },
      { startSchedule: start, chargingSchedulePeriod: periods([0, 10], [2, 6]) },
    ),
  });
  await h.log.waitForSchedules((s) => limitNow(s, 1) === 10, 'EVSE 1 at 10 A');
  const later = await h.log.waitForSchedules(
    (s) => limitNow(s, 1) === 6,
    'EVSE 1 at 6 A after the boundary',
    10_000,
  );
  assert.ok(Date.parse(later[1]?.schedule.scheduleStart ?? '') >= Date.parse(start) + 2000);
  assert.deepEqual(h.errors, []);
});
