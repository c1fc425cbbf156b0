// The `limit` console command: the simulated hardware reports external limits (K11–K13).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotifyChargingLimitRequest } from '../../src/generated/ocpp-types.js';
import { startStationHarness, type StationHarness } from './helpers/station-harness.js';

let h: StationHarness;
before(async () => {
  h = await startStationHarness({
    overrides: [
      { ref: { component: 'SmartChargingCtrlr', variable: 'LimitChangeSignificance' }, value: '10' },
    ],
  });
  await h.waitFor('registration Accepted', (e) => e.type === 'registration' && e.status === 'Accepted');
});
after(() => h.close());

test('limit <evse> <value> <unit> [source] installs the limit, tells the CSMS and says the composite limit', async () => {
  const result = await h.run('limit 1 10 A SO');
  assert.equal(result.ok, true);
  assert.equal(
    result.message,
    'EVSE 1: external limit 10 A from SO applied (profile -5); NotifyChargingLimit sent; composite limit now 10 A',
  );
  const notify = await h.csms.waitForCall('NotifyChargingLimit');
  assert.deepEqual(notify.payload as NotifyChargingLimitRequest, {
    chargingLimit: { chargingLimitSource: 'SO' },
    evseId: 1,
  });
  // 5 % change: applied, not reported (LimitChangeSignificance 10).
  assert.match(
    (await h.run('limit 1 10.5 A SO')).message,
    /not reported: change within LimitChangeSignificance; composite limit now 10\.5 A/,
  );
  // Station-wide, in W.
  assert.match(
    (await h.run('limit 0 6900 W')).message,
    /^station: external limit 6900 W from EMS applied \(profile -1\); NotifyChargingLimit sent; composite limit now 6900 W$/,
  );
});

test('limit <evse> clear [source] releases it (ClearedChargingLimit); refusals are ok: false', async () => {
  const cleared = await h.run('limit 1 clear so');
  assert.deepEqual(
    [cleared.ok, cleared.message],
    [true, 'EVSE 1: external limit from SO released; ClearedChargingLimit sent'],
  );
  assert.deepEqual((await h.csms.waitForCall('ClearedChargingLimit')).payload, {
    chargingLimitSource: 'SO',
    evseId: 1,
  });
  const again = await h.run('limit 1 clear SO');
  assert.deepEqual([again.ok, again.message], [false, 'EVSE 1: no external limit from SO is set']);
  const unknown = await h.run('limit 7 10 A');
  assert.equal(unknown.ok, false);
  assert.match(
    unknown.message,
    /^EVSE 7: external limit refused, UnknownEvse \(K01\.FR\.28: EVSE 7 does not exist\)$/,
  );
  const fraction = await h.run('limit 2 10.25 A');
  assert.equal(fraction.ok, false);
  assert.match(fraction.message, /InvalidSchedule .*one digit fraction/);
  assert.deepEqual(h.csms.validationFailures, []);
  assert.deepEqual(h.fatal, []);
});
