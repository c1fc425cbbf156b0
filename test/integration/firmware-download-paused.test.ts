/**
 * L01.FR.14 DownloadPaused over the wire: the connection to the download server drops in the middle
 * of the file; the station reports DownloadPaused while it waits retryInterval, answers a triggered
 * FirmwareStatusNotification with it (L01.FR.26), then reports Downloading again for the next
 * attempt (L01.FR.30 remark), which fetches the whole file, and the update goes on to Installed.
 * The test CSMS is ocpp-rpc in strict mode; the file server is node:http on 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TriggerMessageResponse } from '../../src/generated/ocpp-types.js';
import {
  expectStatuses,
  firmwareHost,
  nextFirmwareStatus,
  startFileServer,
  updateFirmware,
  updateRequest,
} from './firmware-helpers.js';
import { settle, startTxHarness } from './transactions-helpers.js';

const IMAGE = Buffer.from('firmware v2.1.0\n'.repeat(8192));
/** Long enough to trigger a status while paused on a busy machine; the test waits for events only. */
const RETRY_INTERVAL_S = 3;

test('L01.FR.14/26/30 (TC_L_07 variant): a download whose connection drops mid-file is DownloadPaused for retryInterval (also when triggered), then Downloading again from the start, Downloaded, Installing, Installed', async (t) => {
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  server.dropNext('fw.bin');
  const host = firmwareHost();
  const h = await startTxHarness({ station: { callbacks: host.callbacks } });
  t.after(() => h.close());

  assert.equal(
    await updateFirmware(
      h,
      updateRequest(41, server.url('fw.bin'), { retries: 1, retryInterval: RETRY_INTERVAL_S }),
    ),
    'Accepted',
  );
  await expectStatuses(h, 41, ['Downloading', 'DownloadPaused']);
  // L01.FR.26: a triggered FirmwareStatusNotification repeats the last status sent.
  const trigger = (await h.csms.call(h.identity, 'TriggerMessage', {
    requestedMessage: 'FirmwareStatusNotification',
  })) as TriggerMessageResponse;
  assert.equal(trigger.status, 'Accepted');
  assert.deepEqual(await nextFirmwareStatus(h), { status: 'DownloadPaused', requestId: 41 });

  await expectStatuses(h, 41, ['Downloading', 'Downloaded', 'Installing', 'Installed'], 20_000);
  assert.deepEqual(server.requests, ['fw.bin', 'fw.bin'], 'one dropped attempt, one whole');
  await settle(h);
  assert.equal(host.installs.length, 1);
  assert.ok(
    host.installs[0]?.content.equals(IMAGE),
    'the host got the whole file, not the half of the dropped transfer',
  );
  // The dropped transfer was reported to the host (onError) as a failed attempt.
  assert.ok(
    h.errors.some((e) => /attempt 1 for requestId 41/.test(String(e))),
    String(h.errors),
  );
  assert.equal(h.errors.length, 1, 'nothing else went wrong');
  assert.deepEqual(h.csms.validationFailures, []);
});
