// K11–K13 (external limits reported by the host), K02.FR.05 (TxProfiles end with their transaction)
// and K05 (RequestStartTransaction profiles) through a real station, SQLite file and strict CSMS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ClearedChargingLimitRequest,
  NotifyChargingLimitRequest,
} from '../../src/generated/ocpp-types.js';
import { toSetChargingProfileResponse } from '../../src/smart-charging/index.js';
import {
  chargingProfile,
  instant,
  limitNow,
  periods,
  startSmartChargingStation,
} from './smart-charging-helpers.js';

test('K12: a station-wide limit from the grid operator caps EVSE 0 and is sent to the CSMS; K13 releases it', async (t) => {
  const h = await startSmartChargingStation({ set: ['SmartChargingCtrlr.LimitChangeSignificance=10'] });
  t.after(() => h.close());
  const result = await h.station.onExternalLimit({
    evseId: 0,
    source: 'SO',
    limit: 20,
    unit: 'A',
    isGridCritical: true,
  });
  assert.deepEqual(result, { status: 'Accepted', profileId: -2, notified: true });
  const notify = (await h.csms.waitForCall('NotifyChargingLimit')).payload as NotifyChargingLimitRequest;
  // K12.FR.04: never CSO; station-wide: no evseId; NotifyChargingLimitWithSchedules unset: no schedule.
  assert.deepEqual(notify, { chargingLimit: { chargingLimitSource: 'SO', isGridCritical: true } });
  // K12.FR.01: the total of all EVSEs stays within 20 A, and so does each EVSE.
  const capped = await h.log.waitForSchedules((s) => limitNow(s, 0) === 20, 'EVSE 0 at 20 A');
  assert.equal(limitNow(capped, 1), 20);
  assert.equal(
    h.station.getCompositeSchedules()[0]?.periods[0]?.source,
    'ChargingStationExternalConstraints',
  );

  // SC.03: 5 % is below LimitChangeSignificance (10 %): applied, not reported.
  assert.deepEqual(await h.station.onExternalLimit({ evseId: 0, source: 'SO', limit: 21, unit: 'A' }), {
    status: 'Accepted',
    profileId: -2,
    notified: false,
  });
  await h.log.waitForSchedules((s) => limitNow(s, 0) === 21, 'EVSE 0 at 21 A');
  // 26 A is 30 % above what the CSMS was told (20 A): reported.
  assert.equal(
    (await h.station.onExternalLimit({ evseId: 0, source: 'SO', limit: 26, unit: 'A' })).status,
    'Accepted',
  );
  await h.csms.waitForCall('NotifyChargingLimit');
  assert.equal(h.csms.calls.filter((c) => c.action === 'NotifyChargingLimit').length, 2);

  // K13: released: the profile goes, ClearedChargingLimit is sent, the limit is lifted.
  assert.equal(await h.station.onExternalLimitCleared(0, 'SO'), true);
  const cleared = (await h.csms.waitForCall('ClearedChargingLimit')).payload as ClearedChargingLimitRequest;
  assert.deepEqual(cleared, { chargingLimitSource: 'SO' });
  await h.log.waitForSchedules((s) => limitNow(s, 0) === 63.7, 'EVSE 0 back to both EVSEs at 22 kW');
  assert.equal(await h.station.onExternalLimitCleared(0, 'SO'), false);
  assert.deepEqual(h.station.station.smartCharging.installed(), []);
  assert.deepEqual(h.errors, []);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K11: an EVSE limit with NotifyChargingLimitWithSchedules carries its schedule; limits of two systems both apply', async (t) => {
  const h = await startSmartChargingStation({
    set: ['SmartChargingCtrlr.NotifyChargingLimitWithSchedules=true'],
  });
  t.after(() => h.close());
  const startSchedule = instant();
  await h.station.onExternalLimit({
    evseId: 1,
    source: 'EMS',
    schedule: {
      id: 4,
      startSchedule,
      chargingRateUnit: 'W',
      chargingSchedulePeriod: periods([0, 6900], [3600, 13800]),
    },
  });
  const notify = (await h.csms.waitForCall('NotifyChargingLimit')).payload as NotifyChargingLimitRequest;
  assert.equal(notify.evseId, 1);
  assert.equal(notify.chargingLimit.chargingLimitSource, 'EMS');
  assert.deepEqual(notify.chargingSchedule, [
    {
      id: 4,
      startSchedule,
      chargingRateUnit: 'W',
      chargingSchedulePeriod: periods([0, 6900], [3600, 13800]),
    },
  ]);
  await h.station.onExternalLimit({ evseId: 1, source: 'Other', limit: 12, unit: 'A' });
  // 6900 W on 3 phases = 10 A (EMS) is below 12 A (Other) now; after an hour Other's 12 A is the lower.
  const [evse1] = h.station.getCompositeSchedules({ duration: 7200 }).filter((s) => s.schedule.evseId === 1);
  assert.deepEqual(
    evse1?.schedule.chargingSchedulePeriod.map((p) => p.limit),
    [10, 12],
  );
  // They survive a restart (ChargingProfilePersistence[ChargingStationExternalConstraints]).
  await h.restart();
  assert.deepEqual(
    h.station.station.smartCharging.installed().map((p) => [p.profile.id, p.chargingLimitSource]),
    [
      [-4, 'EMS'],
      [-6, 'Other'],
    ],
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('SC.02: a limit reported while offline reaches the CSMS after reconnecting', async (t) => {
  const h = await startSmartChargingStation();
  t.after(() => h.close());
  h.station.disconnectWebsocket();
  await h.station.onExternalLimit({ evseId: 2, source: 'EMS', limit: 9, unit: 'A' });
  h.station.connectWebsocket();
  const notify = (await h.csms.waitForCall('NotifyChargingLimit', undefined, 10_000))
    .payload as NotifyChargingLimitRequest;
  assert.deepEqual(notify, { chargingLimit: { chargingLimitSource: 'EMS' }, evseId: 2 });
  assert.deepEqual(h.errors, []);
});

test('external limits: refused while ExternalControlSignalsEnabled is false; bad input names the field', async (t) => {
  const h = await startSmartChargingStation({
    set: ['SmartChargingCtrlr.ExternalControlSignalsEnabled=false'],
  });
  t.after(() => h.close());
  const refused = await h.station.onExternalLimit({ evseId: 0, limit: 10, unit: 'A' });
  assert.equal(refused.status, 'Rejected');
  assert.equal(
    refused.status === 'Rejected' && refused.requirement,
    'SmartChargingCtrlr.ExternalControlSignalsEnabled',
  );
  await assert.rejects(h.station.onExternalLimit({ evseId: 1, limit: 10 }), /externalLimit\.unit/);
  await assert.rejects(
    h.station.onExternalLimit({ evseId: -1, limit: 10, unit: 'A' }),
    /externalLimit\.evseId/,
  );
  await h.station.deviceModel.set(
    { component: 'SmartChargingCtrlr', variable: 'ExternalControlSignalsEnabled' },
    'true',
    'host',
  );
  const unknown = await h.station.onExternalLimit({ evseId: 9, limit: 10, unit: 'A' });
  assert.equal(unknown.status === 'Rejected' && unknown.reasonCode, 'UnknownEvse');
  assert.equal(h.csms.calls.filter((c) => c.action === 'NotifyChargingLimit').length, 0);
  assert.deepEqual(h.station.station.smartCharging.installed(), []);
});

test('K02.FR.05: TxProfiles are deleted when their transaction ends; K01.FR.04 they apply to it only', async (t) => {
  const h = await startSmartChargingStation();
  t.after(() => h.close());
  const service = h.station.station.smartCharging;
  service.transactionStarted({ evseId: 1, transactionId: 'tx-1', startTime: instant() });
  await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: chargingProfile({ id: 1 }) });
  const tx = chargingProfile(
    { id: 2, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', transactionId: 'tx-1' },
    { chargingSchedulePeriod: periods([0, 8]) },
  );
  delete tx.chargingSchedule[0].startSchedule;
  assert.deepEqual(await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: tx }), {
    status: 'Accepted',
  });
  await h.log.waitForSchedules((s) => limitNow(s, 1) === 8, 'the TxProfile overrules the TxDefaultProfile');
  const changed = h.log.profilesChanged;
  await service.transactionEnded('tx-1');
  assert.deepEqual(
    service.installed().map((p) => p.profile.id),
    [1],
  );
  assert.equal(h.log.profilesChanged, changed + 1);
  await h.log.waitForSchedules((s) => limitNow(s, 1) === 16, 'back to the TxDefaultProfile');
  await h.restart();
  assert.deepEqual(
    h.station.station.smartCharging.installed().map((p) => p.profile.id),
    [1],
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K05: a RequestStartTransaction profile is checked before the transaction and installed as its TxProfile', async (t) => {
  const h = await startSmartChargingStation();
  t.after(() => h.close());
  const service = h.station.station.smartCharging;
  const profile = chargingProfile(
    { id: 30, chargingProfilePurpose: 'TxProfile' },
    { chargingSchedulePeriod: periods([0, 11]) },
  );
  assert.deepEqual(service.checkRemoteStartProfile(1, profile), { status: 'Accepted', replaces: [] });
  // K05.FR.02 / K05.FR.05: only a TxProfile, and rejections say InvalidProfile or InvalidSchedule.
  const notTx = service.checkRemoteStartProfile(1, chargingProfile({ id: 31 }));
  assert.deepEqual(
    toSetChargingProfileResponse(notTx as Exclude<typeof notTx, { status: 'Ignored' }>).statusInfo
      ?.reasonCode,
    'InvalidProfile',
  );
  const badSchedule = service.checkRemoteStartProfile(
    1,
    chargingProfile(
      { id: 32, chargingProfilePurpose: 'TxProfile' },
      { chargingSchedulePeriod: periods([10, 11]) },
    ),
  );
  assert.equal(badSchedule.status === 'Rejected' && badSchedule.reasonCode, 'InvalidSchedule');
  // K05.FR.03: once the transaction runs, the profile is its TxProfile.
  service.transactionStarted({ evseId: 1, transactionId: 'tx-7', startTime: instant() });
  await service.installRemoteStartProfile(1, profile, 'tx-7');
  assert.deepEqual(
    service.installed().map((p) => [p.profile.id, p.profile.transactionId]),
    [[30, 'tx-7']],
  );
  await h.log.waitForSchedules((s) => limitNow(s, 1) === 11, 'EVSE 1 follows the remote-start profile');
  await service.transactionEnded('tx-7');
  assert.deepEqual(service.installed(), []);
});

test('K05.FR.04: without smart charging a RequestStartTransaction profile is ignored', async (t) => {
  const h = await startSmartChargingStation({ set: ['SmartChargingCtrlr.Available=false'] });
  t.after(() => h.close());
  assert.deepEqual(
    h.station.station.smartCharging.checkRemoteStartProfile(
      1,
      chargingProfile({ chargingProfilePurpose: 'TxProfile' }),
    ),
    { status: 'Ignored' },
  );
});
