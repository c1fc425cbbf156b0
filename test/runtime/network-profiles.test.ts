/** Network connection profiles (B09/B10) on the real example device model and a SQLite file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkConnectionProfileType } from '../../src/generated/ocpp-types.js';
import {
  NetworkProfileError,
  networkSettingsValidator,
  parseNetworkProfiles,
  priorityList,
  readNetworkProfiles,
  storeNetworkProfile,
} from '../../src/runtime/network-profiles.js';
import { openExample } from '../device-model/helpers.js';

const connectionData = (ocppCsmsUrl: string): NetworkConnectionProfileType => ({
  ocppVersion: 'OCPP20',
  ocppTransport: 'JSON',
  ocppCsmsUrl,
  messageTimeout: 30,
  securityProfile: 1,
  ocppInterface: 'Wired0',
});
const slot = (configurationSlot: number, url = 'ws://csms/ocpp') => ({
  configurationSlot,
  connectionData: connectionData(url),
});

test('parseNetworkProfiles: a JSON array of SetNetworkProfileRequests; empty means none', () => {
  assert.deepEqual(parseNetworkProfiles(JSON.stringify([slot(1), slot(2)])), [slot(1), slot(2)]);
  assert.deepEqual(parseNetworkProfiles(''), []);
  assert.deepEqual(parseNetworkProfiles(undefined), []);
});

const broken: Array<[string, string, RegExp]> = [
  ['not JSON', '[{', /NetworkConnectionProfiles is not JSON/],
  ['not an array', JSON.stringify(slot(1)), /must be a JSON array/],
  [
    'an entry without connectionData',
    '[{"configurationSlot":1}]',
    /NetworkConnectionProfiles\[0\] is not a valid profile/,
  ],
  [
    'a bad field in the second entry',
    JSON.stringify([
      slot(1),
      { ...slot(2), connectionData: { ...connectionData('x'), securityProfile: 'high' } },
    ]),
    /NetworkConnectionProfiles\[1\] is not a valid profile/,
  ],
  ['a repeated slot', JSON.stringify([slot(1), slot(1, 'ws://other')]), /\[1\] repeats configurationSlot 1/],
];
for (const [name, raw, message] of broken) {
  test(`parseNetworkProfiles refuses ${name}, naming the variable`, () => {
    assert.throws(
      () => parseNetworkProfiles(raw),
      (e: unknown) => e instanceof NetworkProfileError && message.test(e.message),
    );
  });
}

test('storeNetworkProfile replaces its slot and keeps the others in slot order (B09.FR.01); priorityList keeps known slots (B10.FR.04)', async (t) => {
  const { model, store } = await openExample();
  t.after(() => store.close());
  assert.equal(await storeNetworkProfile(model, 2, connectionData('ws://two')), true);
  assert.equal(await storeNetworkProfile(model, 1, connectionData('ws://one')), true);
  assert.deepEqual(readNetworkProfiles(model), [slot(1, 'ws://one'), slot(2, 'ws://two')]);
  assert.deepEqual(priorityList(model), [1]);
  await model.set({ component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' }, '2,1', 'host');
  assert.deepEqual(priorityList(model), [2, 1]);
});

test('networkSettingsValidator: B10.FR.02 priority slots must hold profiles; profile lists must be usable', async (t) => {
  const { model, store } = await openExample();
  t.after(() => store.close());
  model.addValidator(networkSettingsValidator(model));
  const priority = { component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' };
  const profiles = { component: 'InternalCtrlr', variable: 'NetworkConnectionProfiles' };
  // The example config has one profile, in slot 1.
  assert.equal(await model.set(priority, '1,2', 'csms'), 'Rejected');
  assert.equal(await model.set(priority, '', 'csms'), 'Rejected');
  assert.equal(model.get(priority), '1');
  await storeNetworkProfile(model, 2, connectionData('ws://two'));
  assert.equal(await model.set(priority, '2,1', 'csms'), 'RebootRequired');
  assert.equal(await model.set(priority, '2', 'csms'), 'RebootRequired');
  assert.equal(await model.set(profiles, 'not json', 'csms'), 'Rejected');
  assert.equal(await model.set(profiles, '[]', 'csms'), 'Rejected');
  assert.equal(await model.set(profiles, JSON.stringify([slot(1), slot(1)]), 'csms'), 'Rejected');
  assert.equal(await model.set(profiles, JSON.stringify([slot(1, 'ws://new')]), 'csms'), 'RebootRequired');
  // Other variables and host writes are not its business.
  assert.equal(
    await model.set({ component: 'OCPPCommCtrlr', variable: 'OfflineThreshold' }, '5', 'csms'),
    'Accepted',
  );
  assert.equal(await model.set(priority, '7', 'host'), 'Rejected', 'still outside valuesList 1,2');
  const response = await model.setVariables({
    setVariableData: [
      {
        component: { name: 'ocppcommctrlr' },
        variable: { name: 'networkconfigurationpriority' },
        attributeValue: '1,2',
      },
    ],
  });
  // Names compare case-insensitively (slot 2 is gone again after the last profile list).
  assert.deepEqual(
    response.setVariableResult.map((r) => [r.attributeStatus, r.attributeStatusInfo?.reasonCode]),
    [['Rejected', 'InvalidNetworkConf']],
  );
});
