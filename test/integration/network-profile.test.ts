/**
 * B09 SetNetworkProfile and B10 migration to another network profile over the wire: validation,
 * storage, the host's veto, the NetworkConfigurationPriority rules and the reboot onto the new
 * first slot, against strict test CSMSs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type {
  GetVariablesResponse,
  NetworkConnectionProfileType,
  SetNetworkProfileRequest,
  SetNetworkProfileResponse,
  SetVariablesResponse,
} from '../../src/generated/ocpp-types.js';
import { startTestCsms } from '../../src/testing/index.js';
import { registered } from './csms-helpers.js';
import { startHarness, type Harness } from './station-harness.js';

const PROFILES = { component: 'InternalCtrlr', variable: 'NetworkConnectionProfiles' };
const PRIORITY = { component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' };

const profile = (ocppCsmsUrl: string, securityProfile = 1): NetworkConnectionProfileType => ({
  ocppVersion: 'OCPP20',
  ocppTransport: 'JSON',
  ocppCsmsUrl,
  messageTimeout: 30,
  securityProfile,
  ocppInterface: 'Wired0',
});

async function setNetworkProfile(h: Harness, request: SetNetworkProfileRequest) {
  return (await h.csms.call(h.identity, 'SetNetworkProfile', request)) as SetNetworkProfileResponse;
}

async function setPriority(h: Harness, value: string) {
  const response = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'NetworkConfigurationPriority' },
        attributeValue: value,
      },
    ],
  })) as SetVariablesResponse;
  return response.setVariableResult[0];
}

/** The slots of the stored profile list as the CSMS reads it (GetVariables). */
async function storedSlots(
  h: Harness,
): Promise<Array<{ configurationSlot: number; connectionData: NetworkConnectionProfileType }>> {
  const response = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: PROFILES.component }, variable: { name: PROFILES.variable } }],
  })) as GetVariablesResponse;
  const [result] = response.getVariableResult;
  assert.equal(result?.attributeStatus, 'Accepted');
  return JSON.parse(result?.attributeValue ?? '') as Array<{
    configurationSlot: number;
    connectionData: NetworkConnectionProfileType;
  }>;
}

test('TC_B_45: SetNetworkProfile stores slot 2, NetworkConfigurationPriority "2,1" is RebootRequired, and after a reboot the station boots at slot 2 (B09.FR.01, B10.FR.01/04)', async (t) => {
  const h = await startHarness();
  const other = await startTestCsms({ passwords: { [h.identity]: 'DEADBEEFDEADBEEF' } });
  t.after(async () => {
    await h.close();
    await other.close();
  });
  await registered(h);
  assert.deepEqual(await setNetworkProfile(h, { configurationSlot: 2, connectionData: profile(other.url) }), {
    status: 'Accepted',
  });
  const slots = await storedSlots(h);
  assert.deepEqual(
    slots.map((s) => [s.configurationSlot, s.connectionData.ocppCsmsUrl]),
    [
      [1, h.csms.url],
      [2, other.url],
    ],
  );
  assert.deepEqual(slots[1]?.connectionData, profile(other.url));
  // B10.FR.01: the new priority takes effect at the next boot.
  const result = await setPriority(h, '2,1');
  assert.equal(result?.attributeStatus, 'RebootRequired');
  assert.equal(h.station.isConnected, true, 'no reconnect before the reboot');

  await h.restart();
  // B10.FR.04: the reboot connects to the first entry, slot 2, at the other CSMS.
  const boot = await other.waitForCall('BootNotification');
  assert.equal(boot.identity, h.identity);
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assert.deepEqual(
    h.station.deviceModel.get(PRIORITY),
    '2,1',
    'the priority the CSMS set survives the reboot (the csmsUrl option only sets slot 1)',
  );
  await other.waitForCall('StatusNotification');
  assert.deepEqual(h.csms.validationFailures, []);
  assert.deepEqual(other.validationFailures, []);
});

test('B09.FR.04: a profile with a lower securityProfile than SecurityCtrlr.SecurityProfile is Rejected', async (t) => {
  const h = await startHarness({ set: ['SecurityCtrlr.SecurityProfile=2'] });
  t.after(() => h.close());
  await registered(h);
  const before = h.station.deviceModel.get(PROFILES);
  const response = await setNetworkProfile(h, {
    configurationSlot: 2,
    connectionData: profile('ws://127.0.0.1:9/ocpp', 1),
  });
  assert.equal(response.status, 'Rejected');
  assert.equal(response.statusInfo?.reasonCode, 'NoSecurityDowngrade');
  assert.equal(h.station.deviceModel.get(PROFILES), before);
  // The same profile level is fine.
  assert.deepEqual(
    await setNetworkProfile(h, {
      configurationSlot: 2,
      connectionData: profile('wss://127.0.0.1:9/ocpp', 2),
    }),
    { status: 'Accepted' },
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test("TC_B_43 and B09.FR.05: a configurationSlot outside NetworkConfigurationPriority's valuesList is Rejected", async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const before = h.station.deviceModel.get(PROFILES);
  for (const configurationSlot of [3, 999]) {
    const response = await setNetworkProfile(h, { configurationSlot, connectionData: profile(h.csms.url) });
    assert.equal(response.status, 'Rejected', `slot ${configurationSlot}`);
    assert.equal(response.statusInfo?.reasonCode, 'InvalidConfSlot');
  }
  assert.equal(h.station.deviceModel.get(PROFILES), before);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B09: validateNetworkProfileCallback can veto a profile, which is then not stored', async (t) => {
  const asked: Array<[number, NetworkConnectionProfileType]> = [];
  const h = await startHarness({
    station: {
      callbacks: {
        validateNetworkProfileCallback: (slot, connectionData) => {
          asked.push([slot, connectionData]);
          return connectionData.ocppInterface === 'Wireless0' ? 'Rejected' : 'Accepted';
        },
      },
    },
  });
  t.after(() => h.close());
  await registered(h);
  const before = h.station.deviceModel.get(PROFILES);
  const wireless = { ...profile('ws://127.0.0.1:9/ocpp'), ocppInterface: 'Wireless0' as const };
  assert.deepEqual(await setNetworkProfile(h, { configurationSlot: 2, connectionData: wireless }), {
    status: 'Rejected',
  });
  assert.deepEqual(asked, [[2, wireless]]);
  assert.equal(h.station.deviceModel.get(PROFILES), before);
  assert.deepEqual(
    await setNetworkProfile(h, { configurationSlot: 2, connectionData: profile('ws://127.0.0.1:9/ocpp') }),
    { status: 'Accepted' },
  );
  assert.equal(asked.length, 2);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B09.FR.03: when storing the profile fails the answer is Failed and nothing changes', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const before = h.station.deviceModel.get(PROFILES);
  // A storage failure: every write to the device model table is refused by the database.
  const sqlite = new Database(h.dbPath);
  sqlite.exec(
    `CREATE TRIGGER refuse_dm_update BEFORE UPDATE ON device_model BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
  );
  t.after(() => sqlite.close());
  const response = await setNetworkProfile(h, {
    configurationSlot: 2,
    connectionData: profile('ws://127.0.0.1:9/ocpp'),
  });
  assert.equal(response.status, 'Failed');
  assert.equal(h.station.deviceModel.get(PROFILES), before);
  assert.ok(
    h.errors.some((e) => /disk full/.test(String((e as Error).message))),
    'the storage failure is reported to the host',
  );
  sqlite.exec('DROP TRIGGER refuse_dm_update');
  assert.deepEqual(
    await setNetworkProfile(h, { configurationSlot: 2, connectionData: profile('ws://127.0.0.1:9/ocpp') }),
    { status: 'Accepted' },
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B10.FR.02: a NetworkConfigurationPriority naming a slot without a valid profile is Rejected; a bad profile list too', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const rejected = await setPriority(h, '1,2');
  assert.equal(rejected?.attributeStatus, 'Rejected');
  assert.equal(rejected?.attributeStatusInfo?.reasonCode, 'InvalidNetworkConf');
  assert.equal(h.station.deviceModel.get(PRIORITY), '1');
  // A CSMS cannot store a profile list the next boot could not use either.
  const response = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      {
        component: { name: 'InternalCtrlr' },
        variable: { name: 'NetworkConnectionProfiles' },
        attributeValue: '[{"configurationSlot":1}]',
      },
      {
        component: { name: 'InternalCtrlr' },
        variable: { name: 'NetworkConnectionProfiles' },
        attributeValue: 'not json',
      },
    ],
  })) as SetVariablesResponse;
  assert.deepEqual(
    response.setVariableResult.map((r) => [r.attributeStatus, r.attributeStatusInfo?.reasonCode]),
    [
      ['Rejected', 'InvalidValue'],
      ['Rejected', 'InvalidValue'],
    ],
  );
  // With a profile in slot 2, the same priority is accepted (after a reboot).
  await setNetworkProfile(h, { configurationSlot: 2, connectionData: profile(h.csms.url) });
  assert.equal((await setPriority(h, '1,2'))?.attributeStatus, 'RebootRequired');
  await h.restart();
  // Slot 1 comes first, so the station boots at the same CSMS again.
  await h.csms.waitForCall('BootNotification');
  assert.equal(h.station.deviceModel.get(PRIORITY), '1,2');
  assert.deepEqual(h.csms.validationFailures, []);
});
