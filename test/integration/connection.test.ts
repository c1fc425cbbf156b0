/**
 * The websocket connection of a real station (Part 4 §5.3, B04, B10, A04.FR.02): reconnecting after
 * drops, dead links and CSMS restarts, offline status reporting, going offline on request and
 * falling back to the next network profile.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { InspectionEvent } from 'xstate';
import type {
  GetVariablesResponse,
  NetworkConnectionProfileType,
  SecurityEventNotificationRequest,
  StatusNotificationRequest,
} from '../../src/generated/ocpp-types.js';
import { startTestCsms, type ReceivedCall, type TestCsms } from '../../src/testing/index.js';
import { TransportError } from '../../src/transport/errors.js';
import { recorder, type Recorder } from './recorder.js';
import {
  profile,
  startHarness,
  TEST_PASSWORD,
  type Harness,
  type HarnessOptions,
} from './station-harness.js';

interface LinkChange {
  up: boolean;
  slot: number;
  url: string | undefined;
}

/** A harness whose connectionStateChangedCallback is recorded; `onDown` runs inside the callback. */
async function linkedHarness(
  options: HarnessOptions = {},
  onDown?: (h: Harness) => void,
): Promise<{ h: Harness; link: Recorder<LinkChange> }> {
  const link = recorder<LinkChange>();
  // Filled once started: the callback may fire before startHarness returns (no EV to plug then).
  const started: { harness?: Harness } = {};
  const h = await startHarness({
    ...options,
    station: {
      ...options.station,
      callbacks: {
        ...options.station?.callbacks,
        connectionStateChangedCallback: (
          up: boolean,
          slot: number,
          p: NetworkConnectionProfileType | undefined,
        ) => {
          link.push({ up, slot, url: p?.ocppCsmsUrl });
          if (!up && started.harness) onDown?.(started.harness);
        },
      },
    },
  });
  started.harness = h;
  return { h, link };
}

const statusKey = (call: ReceivedCall) => {
  const s = call.payload as StatusNotificationRequest;
  return `${s.evseId}/${s.connectorId}:${s.connectorStatus}`;
};

async function accepted(csms: TestCsms): Promise<void> {
  await csms.waitForCall('BootNotification');
  await csms.waitForCall('StatusNotification');
  await csms.waitForCall('StatusNotification');
}

/** Both link changes of a reconnect, counted from `from`. */
async function reconnected(link: Recorder<LinkChange>, from: number): Promise<void> {
  await link.waitFor((c) => !c.up, 'the connection to go down', { from });
  await link.waitFor((c) => c.up, 'the station to reconnect', { from: from + 1 });
}

/** A triggered Heartbeat round trip: everything the station queued before it has been sent. */
async function heartbeatRoundTrip(h: Harness, csms: TestCsms = h.csms): Promise<void> {
  await csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' });
  await csms.waitForCall('Heartbeat');
}

test('Part 4 §5.3 + B04.FR.02 (TC_B_57_CS, TC_B_52_CS): the CSMS drops the connection; the station reconnects without a BootNotification and reports only the connector that changed offline', async (t) => {
  let plugged = false;
  const { h, link } = await linkedHarness({}, (station) => {
    // The EV arrives while the station is offline.
    if (plugged) return;
    plugged = true;
    station.station.onSessionStarted(2, 1);
  });
  t.after(() => h.close());
  await accepted(h.csms);
  const from = link.items.length;
  await h.csms.disconnect(h.identity, 1001, 'going away');
  await reconnected(link, from);
  const occupied = await h.csms.waitForCall('StatusNotification');
  assert.equal(statusKey(occupied), '2/1:Occupied');
  await heartbeatRoundTrip(h);
  assert.equal(h.csms.calls.filter((c) => c.action === 'StatusNotification').length, 3);
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B04.FR.01 (TC_B_51_CS): offline longer than OfflineThreshold, every connector is reported after the reconnect', async (t) => {
  let plugged = false;
  const { h, link } = await linkedHarness({ set: ['OCPPCommCtrlr.OfflineThreshold=0'] }, (station) => {
    if (plugged) return;
    plugged = true;
    station.station.onSessionStarted(2, 1);
  });
  t.after(() => h.close());
  await accepted(h.csms);
  const from = link.items.length;
  await h.csms.disconnect(h.identity);
  await reconnected(link, from);
  const statuses = [
    await h.csms.waitForCall('StatusNotification'),
    await h.csms.waitForCall('StatusNotification'),
  ];
  assert.deepEqual(statuses.map(statusKey).sort(), ['1/1:Available', '2/1:Occupied']);
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('disconnectWebsocket keeps the station offline until connectWebsocket; a security event raised offline is delivered after it (A04.FR.02)', async (t) => {
  const { h, link } = await linkedHarness();
  t.after(() => h.close());
  await accepted(h.csms);
  await h.csms.waitForCall('SecurityEventNotification');
  const from = link.items.length;
  h.station.disconnectWebsocket();
  await link.waitFor((c) => !c.up, 'the station to go offline', { from });
  assert.equal(h.station.isConnected, false);
  const delivered = h.station.onSecurityEvent('TamperDetectionActivated', 'enclosure opened');
  h.station.onSessionStarted(1, 1);
  // The connection chart is in `offline`, the one state with no reconnect timer: only
  // connectWebsocket (connection.goOnline) leaves it.
  const connection = h.station.station.station.system.get('connection');
  assert.equal(connection?.getSnapshot().value, 'offline');
  assert.equal(h.station.isConnected, false);
  assert.equal(
    link.count((c) => c.up),
    1,
  );

  h.station.connectWebsocket();
  await link.waitFor((c) => c.up, 'the station to reconnect', { from: from + 1 });
  const event = await h.csms.waitForCall('SecurityEventNotification');
  assert.equal((event.payload as SecurityEventNotificationRequest).type, 'TamperDetectionActivated');
  assert.equal((event.payload as SecurityEventNotificationRequest).techInfo, 'enclosure opened');
  await delivered;
  assert.equal(statusKey(await h.csms.waitForCall('StatusNotification')), '1/1:Occupied');
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('Part 4 §5.3: a CSMS that stops answering websocket pings is detected and the station reconnects', async (t) => {
  // Why each socket closed, as the connection statechart hears it.
  const closes = recorder<string | undefined>();
  const inspect = (event: InspectionEvent) => {
    if (event.type === '@xstate.event' && event.event.type === 'ws.closed') {
      closes.push((event.event as { reason?: string }).reason);
    }
  };
  // The CSMS never answers pings; the station pings every second and gives up after a missed pong.
  const { h, link } = await linkedHarness({
    csms: { autoPong: false },
    set: ['OCPPCommCtrlr.WebSocketPingInterval=1'],
    station: { inspect },
  });
  t.after(() => h.close());
  await accepted(h.csms);
  await reconnected(link, 1);
  assert.equal(closes.items[0], 'ping timeout');
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('Part 4 §5.3: after the CSMS restarts on the same address the station reconnects and carries on', async (t) => {
  const { h, link } = await linkedHarness();
  const later: TestCsms[] = [];
  t.after(async () => {
    await h.close();
    for (const csms of later) await csms.close();
  });
  await accepted(h.csms);
  const from = link.items.length;
  await h.csms.close();
  const restarted = await startTestCsms({ port: h.csms.port, passwords: { [h.identity]: TEST_PASSWORD } });
  later.push(restarted);
  await reconnected(link, from);
  await restarted.waitForClient(h.identity);
  await heartbeatRoundTrip(h, restarted);
  // A reconnect, not a reboot: no BootNotification to the restarted CSMS.
  assert.equal(restarted.calls.filter((c) => c.action === 'BootNotification').length, 0);
  assert.deepEqual(restarted.validationFailures, []);
});

test('B10.FR.03/04 + errata ActiveNetworkProfile: after NetworkProfileConnectionAttempts failures on the first profile the station connects with the second', async (t) => {
  const deadUrl = await unusedUrl();
  const { h, link } = await linkedHarness({
    profiles: (csms) => [profile(1, deadUrl), profile(2, csms.url)],
    set: [
      'OCPPCommCtrlr.NetworkConfigurationPriority=1,2',
      'OCPPCommCtrlr.NetworkProfileConnectionAttempts=2',
      'OCPPCommCtrlr.RetryBackOffWaitMinimum=0',
    ],
  });
  t.after(() => h.close());
  await accepted(h.csms);
  const up = await link.waitFor((c) => c.up, 'a connection');
  assert.deepEqual(up, { up: true, slot: 2, url: h.csms.url });
  const failures = h.errors.filter((e) => e instanceof TransportError);
  assert.equal(failures.length, 2, failures.map(String).join('\n'));
  assert.ok(failures.every((e) => (e as TransportError).kind === 'network'));
  // Errata 2025-09: ActiveNetworkProfile tells which slot is in use.
  const active = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'ActiveNetworkProfile' } }],
  })) as GetVariablesResponse;
  assert.equal(active.getVariableResult[0]?.attributeValue, '2');
  assert.deepEqual(h.csms.validationFailures, []);
});

/** A ws:// URL on 127.0.0.1 where nothing listens (a port just freed). */
async function unusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `ws://127.0.0.1:${address.port}/ocpp`;
}
