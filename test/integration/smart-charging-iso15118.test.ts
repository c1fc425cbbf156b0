// K15–K17: ISO 15118 charging needs and EV schedules between the host (EV side) and the strict CSMS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ChargingProfileType,
  NotifyEVChargingNeedsRequest,
  NotifyEVChargingScheduleRequest,
} from '../../src/generated/ocpp-types.js';
import {
  chargingProfile,
  instant,
  limitNow,
  periods,
  startSmartChargingStation,
  type SmartChargingHarness,
} from './smart-charging-helpers.js';

const NEEDS: NotifyEVChargingNeedsRequest = {
  evseId: 1,
  maxScheduleTuples: 3,
  chargingNeeds: {
    requestedEnergyTransfer: 'AC_three_phase',
    acChargingParameters: { energyAmount: 20000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 },
  },
};

function txProfile(id: number, ...limits: number[]): ChargingProfileType {
  const profile = chargingProfile(
    { id, chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1' },
    { chargingSchedulePeriod: periods([0, limits[0] ?? 16]) },
  );
  // K15.FR.07: up to three schedules for the EV to choose from (allowed now, K01.FR.34).
  limits.slice(1).forEach((limit, index) =>
    profile.chargingSchedule.push({
      ...profile.chargingSchedule[0],
      id: index + 2,
      chargingSchedulePeriod: periods([0, limit]),
    }),
  );
  return profile;
}

async function isoSession(): Promise<SmartChargingHarness> {
  const h = await startSmartChargingStation();
  h.station.station.smartCharging.transactionStarted({
    evseId: 1,
    transactionId: 'tx-1',
    startTime: instant(),
    iso15118: { chargingNeedsSent: false },
  });
  return h;
}

test('K15: needs first, then the TxProfile, then the EV schedule caps the EVSE and is reported', async (t) => {
  const h = await isoSession();
  t.after(() => h.close());
  // K15.FR.17: a TxProfile before the charging needs is out of sequence.
  const early = await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(1, 16) });
  assert.equal((early['statusInfo'] as { reasonCode: string }).reasonCode, 'InvalidMessageSeq');

  assert.deepEqual(await h.station.onEvChargingNeeds(NEEDS), { status: 'Accepted' });
  assert.deepEqual((await h.csms.waitForCall('NotifyEVChargingNeeds')).payload, NEEDS);
  assert.deepEqual(await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(1, 16, 12) }), {
    status: 'Accepted',
  });
  // The EV has not charged yet (K15), so this is no renegotiation.
  assert.deepEqual(h.log.renegotiations, []);

  // K15.FR.09: the EV asks for more than offered: refused, nothing sent, nothing applied.
  const tooMuch = await h.station.onEvChargingSchedule({
    evseId: 1,
    chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 10], [60, 20]) },
  });
  assert.equal(tooMuch.status, 'OutOfBounds');
  assert.deepEqual(tooMuch.status === 'OutOfBounds' && [tooMuch.requested, tooMuch.allowed], [20, 16]);

  const timeBase = instant();
  const result = await h.station.onEvChargingSchedule({
    evseId: 1,
    timeBase,
    chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 10]) },
  });
  assert.deepEqual(result, { status: 'Accepted' });
  const sent = (await h.csms.waitForCall('NotifyEVChargingSchedule'))
    .payload as NotifyEVChargingScheduleRequest;
  assert.deepEqual(sent, {
    timeBase,
    evseId: 1,
    chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 10]) },
  });
  assert.equal(h.csms.calls.filter((c) => c.action === 'NotifyEVChargingSchedule').length, 1);
  // K15.FR.14 / SC.04: the composite reports what the EV will draw.
  const schedules = await h.log.waitForSchedules((s) => limitNow(s, 1) === 10, 'EVSE 1 at the EV schedule');
  assert.equal(schedules[1]?.periods[0]?.source, 'EVChargingSchedule');
  const composite = await h.rpc('GetCompositeSchedule', { evseId: 1, duration: 60, chargingRateUnit: 'A' });
  assert.deepEqual(
    (
      composite['schedule'] as { chargingSchedulePeriod: Array<{ limit: number }> }
    ).chargingSchedulePeriod.map((p) => p.limit),
    [10],
  );

  // The session ends: the EV schedule and the TxProfile go (K02.FR.05).
  await h.station.station.smartCharging.transactionEnded('tx-1');
  await h.log.waitForSchedules((s) => limitNow(s, 1) === 31.8, 'EVSE 1 back to its local limit');
  assert.deepEqual(h.errors, []);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K16: a new CSMS profile while charging asks the host to renegotiate; the EV needs are then not forwarded; K17 EV-initiated', async (t) => {
  const h = await isoSession();
  t.after(() => h.close());
  await h.station.onEvChargingNeeds(NEEDS);
  await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(1, 16) });
  await h.station.onEvChargingSchedule({
    evseId: 1,
    chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 16]) },
  });
  // K16.FR.01/02: Accepted, and the station starts a renegotiation with the EV.
  assert.deepEqual(await h.rpc('SetChargingProfile', { evseId: 1, chargingProfile: txProfile(1, 8) }), {
    status: 'Accepted',
  });
  assert.deepEqual(h.log.renegotiations, [1]);
  // A TxDefaultProfile on EVSE 0 during the renegotiation does not start another one.
  await h.rpc('SetChargingProfile', { evseId: 0, chargingProfile: chargingProfile({ id: 5 }) });
  assert.deepEqual(h.log.renegotiations, [1]);
  // K16.FR.09: the EV's charging needs during it are not sent.
  const skipped = await h.station.onEvChargingNeeds(NEEDS);
  assert.equal(skipped.status, 'NotSent');
  assert.match(skipped.status === 'NotSent' ? skipped.reason : '', /K16\.FR\.09/);
  // The EV picks within the new 8 A: the renegotiation is over.
  assert.deepEqual(
    await h.station.onEvChargingSchedule({
      evseId: 1,
      chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: periods([0, 8]) },
    }),
    { status: 'Accepted' },
  );
  // K17.FR.01: the EV renegotiates by itself: its needs go to the CSMS.
  h.csms.onCall('NotifyEVChargingNeeds', () => ({ status: 'Processing' }));
  assert.deepEqual(await h.station.onEvChargingNeeds(NEEDS), { status: 'Processing' });
  assert.equal(h.csms.calls.filter((c) => c.action === 'NotifyEVChargingNeeds').length, 2);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('K15: bad charging needs name the problem; offline needs are not sent (K15.FR.15)', async (t) => {
  const h = await isoSession();
  t.after(() => h.close());
  await assert.rejects(
    h.station.onEvChargingNeeds({
      ...NEEDS,
      chargingNeeds: {
        ...NEEDS.chargingNeeds,
        dcChargingParameters: { evMaxCurrent: 100, evMaxVoltage: 500 },
      },
    }),
    /K15\.FR\.06/,
  );
  await assert.rejects(h.station.onEvChargingNeeds({ ...NEEDS, evseId: 4 }), /no EVSE 4/);
  await assert.rejects(
    h.station.onEvChargingNeeds({
      ...NEEDS,
      chargingNeeds: { ...NEEDS.chargingNeeds, departureTime: 'tomorrow' },
    }),
    /NotifyEVChargingNeedsRequest: .*departureTime/,
  );
  h.station.disconnectWebsocket();
  const offline = await h.station.onEvChargingNeeds(NEEDS);
  assert.equal(offline.status, 'NotSent');
  assert.match(offline.status === 'NotSent' ? offline.reason : '', /K15\.FR\.15/);
  // Not sent, so a TxProfile would still be out of sequence (K15.FR.17).
  assert.deepEqual(h.station.station.smartCharging.state().transactions[0]?.iso15118, {
    chargingNeedsSent: false,
  });
});
