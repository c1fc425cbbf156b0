import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootNotificationResponse } from '../../src/generated/ocpp-types.js';
import { bootReasonOfStart } from '../../src/runtime/boot-reason.js';
import { readPendingBootReason, setPendingBootReason } from '../../src/store/station-state.js';
import { tempDatabase } from '../helpers/temp-db.js';

const answer = (status: BootNotificationResponse['status']): BootNotificationResponse => ({
  status,
  interval: 300,
  currentTime: '2025-01-01T00:00:00Z',
});

test('B01.FR.09: the recorded reason is forgotten after the first Accepted answer, not after Pending or Rejected', async (t) => {
  const store = await tempDatabase();
  t.after(() => store.close());
  await setPendingBootReason(store.db, 'CS-1', 'RemoteReset', '2025-01-01T00:00:00Z');
  const seen: string[] = [];
  const boot = await bootReasonOfStart({
    db: store.db,
    stationId: 'CS-1',
    callbacks: { bootNotificationCallback: (response) => seen.push(response.status) },
    onError: (error) => assert.fail(String(error)),
  });
  assert.equal(boot.reason, 'RemoteReset');
  boot.callbacks.bootNotificationCallback?.(answer('Pending'));
  boot.callbacks.bootNotificationCallback?.(answer('Rejected'));
  await boot.settled();
  assert.equal(await readPendingBootReason(store.db, 'CS-1'), 'RemoteReset');
  boot.callbacks.bootNotificationCallback?.(answer('Accepted'));
  await boot.settled();
  assert.equal(await readPendingBootReason(store.db, 'CS-1'), 'PowerUp');
  assert.deepEqual(seen, ['Pending', 'Rejected', 'Accepted'], 'the host still hears every answer');
});

test('B01.FR.09: a reason recorded during the run (a scheduled reset) is kept for the next start', async (t) => {
  const store = await tempDatabase();
  t.after(() => store.close());
  await setPendingBootReason(store.db, 'CS-1', 'RemoteReset', '2025-01-01T00:00:00Z');
  const boot = await bootReasonOfStart({
    db: store.db,
    stationId: 'CS-1',
    callbacks: {},
    onError: (error) => assert.fail(String(error)),
  });
  await setPendingBootReason(store.db, 'CS-1', 'ScheduledReset', '2025-01-01T00:01:00Z');
  boot.callbacks.bootNotificationCallback?.(answer('Accepted'));
  await boot.settled();
  assert.equal(await readPendingBootReason(store.db, 'CS-1'), 'ScheduledReset');
});

test('a boot reason given by the host wins and leaves the recorded one for the next start', async (t) => {
  const store = await tempDatabase();
  t.after(() => store.close());
  await setPendingBootReason(store.db, 'CS-1', 'RemoteReset', '2025-01-01T00:00:00Z');
  const boot = await bootReasonOfStart({
    db: store.db,
    stationId: 'CS-1',
    given: 'FirmwareUpdate',
    callbacks: {},
    onError: (error) => assert.fail(String(error)),
  });
  assert.equal(boot.reason, 'FirmwareUpdate');
  boot.callbacks.bootNotificationCallback?.(answer('Accepted'));
  await boot.settled();
  assert.equal(await readPendingBootReason(store.db, 'CS-1'), 'RemoteReset');
  assert.equal(
    (await bootReasonOfStart({ db: store.db, stationId: 'CS-2', callbacks: {}, onError: () => undefined }))
      .reason,
    'PowerUp',
  );
});
