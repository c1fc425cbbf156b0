/**
 * C16 in the simulated station (docs/cli.md): `--master-pass-ui` gives the station a UI, a
 * master-pass token opens the choice (a `masterpass` event) and `masterpass-select` answers it;
 * without the option a master pass stops every transaction and `masterpass-select` is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthorizeRequest, TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import { startStationHarness, type StationHarness } from './helpers/station-harness.js';

const MASTER_GROUP = 'POLICE';
const overrides = [{ ref: { component: 'AuthCtrlr', variable: 'MasterPassGroupId' }, value: MASTER_GROUP }];

async function start(masterPassUi: boolean): Promise<StationHarness> {
  const h = await startStationHarness({ overrides, masterPassUi });
  h.csms.onCall('Authorize', (call) =>
    (call.payload as AuthorizeRequest).idToken.idToken.startsWith('MASTER')
      ? { idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: MASTER_GROUP, type: 'Central' } } }
      : { idTokenInfo: { status: 'Accepted' } },
  );
  await h.waitFor('registration Accepted', (e) => e.type === 'registration' && e.status === 'Accepted');
  return h;
}

/** Plugs and authorizes a driver on both EVSEs; resolves once both transactions started. */
async function chargeBoth(h: StationHarness): Promise<void> {
  for (const evse of [1, 2]) {
    await h.run(`plug ${evse}`);
    assert.match((await h.run(`auth DRIVER-${evse} ${evse}`)).message, /authorized on EVSE/);
  }
  for (const evse of [1, 2]) {
    await h.csms.waitForCall(
      'TransactionEvent',
      (c) => (c.payload as TransactionEventRequest).eventType === 'Started' && (c.payload as TransactionEventRequest).evse?.id === evse,
    );
  }
}

const stopAuthorized = (h: StationHarness) =>
  h.csms.calls
    .map((c) => c.payload as TransactionEventRequest)
    .filter((p) => p.triggerReason === 'StopAuthorized');

test('C16.FR.01 CLI: --master-pass-ui opens the choice; masterpass-select stops the chosen EVSE with stoppedReason MasterPass', async (t) => {
  const h = await start(true);
  t.after(() => h.close());
  const refused = await h.run('masterpass-select all');
  assert.equal(refused.ok, false);
  assert.match(refused.message, /no master-pass choice is open/);
  await chargeBoth(h);
  const since = h.events.length;
  const auth = await h.run('auth MASTER-1');
  assert.equal((auth.data as { action: string }).action, 'masterPass');
  await h.waitFor('masterpass event', (e) => e.type === 'masterpass' && e.evseIds.join() === '1,2', since);
  assert.equal((await h.run('masterpass-select 3')).ok, false);
  const chosen = await h.run('masterpass-select 2');
  assert.equal(chosen.ok, true, chosen.message);
  assert.deepEqual((chosen.data as { evseIds: number[] }).evseIds, [2]);
  await h.csms.waitForCall('TransactionEvent', (c) => (c.payload as TransactionEventRequest).triggerReason === 'StopAuthorized');
  assert.deepEqual(stopAuthorized(h).map((p) => p.idToken?.idToken), ['MASTER-1']);
  assert.equal(h.station.cp.hasActiveTransaction(1), true);
  assert.equal((await h.run('masterpass-select all')).ok, false, 'the choice was answered');
});

test('C16.FR.02 CLI: without --master-pass-ui a master pass stops every transaction; masterpass-select is refused', async (t) => {
  const h = await start(false);
  t.after(() => h.close());
  await chargeBoth(h);
  const auth = await h.run('auth MASTER-1');
  assert.equal((auth.data as { action: string }).action, 'stopped');
  assert.match(auth.message, /on EVSE 1, 2/);
  const select = await h.run('masterpass-select all');
  assert.equal(select.ok, false);
  assert.match(select.message, /no master-pass UI/);
});
