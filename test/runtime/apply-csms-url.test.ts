/**
 * applyCsmsUrl with a given security profile (ChargePointOptions.csmsSecurityProfile, the CLI's
 * `--security-profile`) on the real example device model and a SQLite file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyCsmsUrl,
  NetworkProfileError,
  readNetworkProfiles,
} from '../../src/runtime/network-profiles.js';
import { openExample } from '../device-model/helpers.js';

test('A00.FR.003: slot 1 gets the given profile; default 1 for ws://, 2 for wss://; a scheme that does not fit the profile is refused', async (t) => {
  const { model, store } = await openExample();
  t.after(() => store.close());
  const slot1 = () => readNetworkProfiles(model).find((p) => p.configurationSlot === 1)?.connectionData;

  await applyCsmsUrl(model, 'wss://csms.example.com/ocpp');
  assert.equal(slot1()?.securityProfile, 2);
  await applyCsmsUrl(model, 'wss://csms.example.com/ocpp', 3);
  assert.deepEqual([slot1()?.securityProfile, slot1()?.ocppCsmsUrl], [3, 'wss://csms.example.com/ocpp']);
  // Without a given profile, a slot already at 3 stays at 3 (set by the CSMS or an earlier start).
  await applyCsmsUrl(model, 'wss://csms.example.com/ocpp');
  assert.equal(slot1()?.securityProfile, 3);
  await applyCsmsUrl(model, 'ws://127.0.0.1:9000/ocpp');
  assert.equal(slot1()?.securityProfile, 1);

  for (const [url, profile] of [
    ['ws://127.0.0.1:9000/ocpp', 2],
    ['ws://127.0.0.1:9000/ocpp', 3],
    ['wss://csms.example.com/ocpp', 1],
  ] as const) {
    await assert.rejects(
      applyCsmsUrl(model, url, profile),
      (e: unknown) =>
        e instanceof NetworkProfileError && /cannot be used with security profile/.test(e.message),
    );
  }
  assert.equal(slot1()?.securityProfile, 1, 'a refused call changes nothing');
});
