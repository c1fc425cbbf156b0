/**
 * Security profiles 1–3 (Part 2 A00) with the whole station against the strict test CSMS: Basic
 * auth, TLS with a CA made by the test, client certificates, and the security events of failed
 * connections (appendix 1; A00.FR.310/413, A04.FR.02).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpsServer } from 'node:https';
import type {
  NetworkConnectionProfileType,
  SecurityEventNotificationRequest,
} from '../../src/generated/ocpp-types.js';
import { TransportConfigError, TransportError } from '../../src/transport/errors.js';
import { testPki } from '../helpers/pki.js';
import { recorder } from './recorder.js';
import {
  profile,
  startHarness,
  TEST_PASSWORD,
  type Harness,
  type HarnessOptions,
} from './station-harness.js';

interface Observed {
  errors: ReturnType<typeof recorder<unknown>>;
  events: ReturnType<typeof recorder<string>>;
  link: ReturnType<typeof recorder<{ up: boolean; securityProfile: number | undefined }>>;
}

/** A harness whose errors, security events and link changes are recorded. */
async function observedHarness(options: HarnessOptions): Promise<{ h: Harness } & Observed> {
  const errors = recorder<unknown>();
  const events = recorder<string>();
  const link = recorder<{ up: boolean; securityProfile: number | undefined }>();
  const h = await startHarness({
    ...options,
    station: {
      ...options.station,
      onError: (e) => errors.push(e),
      callbacks: {
        securityEventCallback: (type) => events.push(type),
        connectionStateChangedCallback: (
          up: boolean,
          _slot: number,
          p: NetworkConnectionProfileType | undefined,
        ) => link.push({ up, securityProfile: p?.securityProfile }),
      },
    },
  });
  return { h, errors, events, link };
}

async function accepted(h: Harness): Promise<void> {
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');
}

/** Security events the CSMS received, after a Heartbeat round trip flushed the queue. */
async function securityEventsAtCsms(h: Harness): Promise<string[]> {
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' });
  await h.csms.waitForCall('Heartbeat');
  return h.csms.calls
    .filter((c) => c.action === 'SecurityEventNotification')
    .map((c) => (c.payload as SecurityEventNotificationRequest).type);
}

const transportErrors = (errors: readonly unknown[], kind?: string) =>
  errors.filter(
    (e): e is TransportError => e instanceof TransportError && (kind === undefined || e.kind === kind),
  );

test('A00.FR.207 (TC_A_03_CS): a wrong BasicAuthPassword is refused with 401; the station keeps retrying, logs FailedToAuthenticationAtCsms, and connects once the password is right', async (t) => {
  const { h, errors, events } = await observedHarness({
    set: ['SecurityCtrlr.BasicAuthPassword=WRONG-PASSWORD-0001', 'OCPPCommCtrlr.RetryBackOffRepeatTimes=0'],
  });
  t.after(() => h.close());
  await errors.waitFor((e) => transportErrors([e], 'http-status').length > 0, 'a refused connection');
  await errors.waitFor((e) => transportErrors([e], 'http-status').length > 0, 'a second refused connection', {
    from: errors.items.findIndex((e) => e instanceof TransportError) + 1,
  });
  assert.ok(transportErrors(errors.items).every((e) => e.kind === 'http-status' && e.httpStatus === 401));
  assert.ok(events.count((type) => type === 'FailedToAuthenticationAtCsms') >= 2);
  assert.equal(h.station.isConnected, false);
  assert.deepEqual(h.csms.calls, []);

  // The installer fixes the password (A00.FR.204: identity:password): the next attempt connects.
  const status = await h.station.deviceModel.set(
    { component: 'SecurityCtrlr', variable: 'BasicAuthPassword' },
    TEST_PASSWORD,
    'host',
  );
  assert.equal(status, 'Accepted');
  await accepted(h);
  // FailedToAuthenticationAtCsms is not critical (appendix 1): logged, never sent.
  assert.deepEqual(await securityEventsAtCsms(h), ['StartupOfTheDevice']);
  assert.deepEqual(h.csms.validationFailures, []);
});

test("A00.FR.308/309 (TC_A_04_CS): security profile 2 over wss:// with the CSMS certificate from the station's CA boots", async (t) => {
  const pki = testPki();
  const { h, link } = await observedHarness({
    csms: { tls: { cert: pki.server.cert, key: pki.server.key } },
    station: { tls: { ca: pki.ca.cert } },
  });
  t.after(() => h.close());
  assert.ok(h.csms.url.startsWith('wss://'));
  await accepted(h);
  assert.deepEqual(link.items[0], { up: true, securityProfile: 2 });
  // A05.FR.06: connected at level 2, that is now the active security profile.
  await waitUntil(
    () => h.station.deviceModel.get({ component: 'SecurityCtrlr', variable: 'SecurityProfile' }) === '2',
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('A05.FR.06: after connecting with a higher security profile, weaker profiles are removed and can no longer be set (B09.FR.04)', async (t) => {
  const pki = testPki();
  const { h } = await observedHarness({
    csms: { tls: { cert: pki.server.cert, key: pki.server.key } },
    station: { tls: { ca: pki.ca.cert } },
    profiles: (csms) => [
      profile(1, csms.url, { securityProfile: 2 }),
      profile(2, 'ws://127.0.0.1:9/unused', { securityProfile: 1 }),
    ],
    set: ['OCPPCommCtrlr.NetworkConfigurationPriority=1,2'],
  });
  t.after(() => h.close());
  await accepted(h);
  const dm = h.station.deviceModel;
  await waitUntil(
    () => dm.get({ component: 'OCPPCommCtrlr', variable: 'NetworkConfigurationPriority' }) === '1',
  );
  assert.equal(dm.get({ component: 'SecurityCtrlr', variable: 'SecurityProfile' }), '2');
  const stored = JSON.parse(
    dm.get({ component: 'InternalCtrlr', variable: 'NetworkConnectionProfiles' }) ?? '[]',
  ) as Array<{
    configurationSlot: number;
  }>;
  assert.deepEqual(
    stored.map((p) => p.configurationSlot),
    [1],
  );
  // B09.FR.04: a profile 1 is now a downgrade.
  const response = (await h.csms.call(h.identity, 'SetNetworkProfile', {
    configurationSlot: 2,
    connectionData: profile(2, 'ws://127.0.0.1:9/x').connectionData,
  })) as { status: string; statusInfo?: { reasonCode: string } };
  assert.deepEqual([response.status, response.statusInfo?.reasonCode], ['Rejected', 'NoSecurityDowngrade']);
  assert.deepEqual(h.csms.validationFailures, []);
});

async function waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('A00.FR.310/311 + A04.FR.02 (TC_A_05_CS): a CSMS certificate the station cannot verify is refused; InvalidCsmsCertificate is raised once and delivered after the next connection', async (t) => {
  const pki = testPki();
  const { h, errors, events } = await observedHarness({
    csms: { tls: { cert: pki.server.cert, key: pki.server.key } },
    set: ['OCPPCommCtrlr.RetryBackOffRepeatTimes=0'],
    station: { tls: { ca: pki.otherCa.cert } },
  });
  t.after(() => h.close());
  await errors.waitFor(
    (e) => transportErrors([e], 'tls-server-certificate').length > 0,
    'a refused certificate',
  );
  const first = errors.items.findIndex((e) => e instanceof TransportError);
  await errors.waitFor((e) => e instanceof TransportError, 'a second attempt', { from: first + 1 });
  assert.ok(transportErrors(errors.items).every((e) => e.kind === 'tls-server-certificate'));
  // A00.FR.316 note: once for repeated failed attempts, so the offline queue does not overflow.
  assert.equal(
    events.count((type) => type === 'InvalidCsmsCertificate'),
    1,
  );
  assert.deepEqual(h.csms.calls, []);

  // The right root certificate is installed and the station restarts: the queued event goes out.
  await h.restart({ tls: { ca: pki.ca.cert } });
  await accepted(h);
  const sent = await securityEventsAtCsms(h);
  assert.equal(sent.filter((type) => type === 'InvalidCsmsCertificate').length, 1);
  assert.equal(sent.filter((type) => type === 'StartupOfTheDevice').length, 2);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('A00.FR.402-407 (TC_A_07_CS): security profile 3 with a client certificate boots without Basic auth', async (t) => {
  const pki = testPki();
  const { h, link } = await observedHarness({
    identity: 'CS001',
    basicAuth: false,
    csms: {
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requireClientCertificate: true },
    },
    profiles: (csms) => [profile(1, csms.url, { securityProfile: 3 })],
    station: { tls: { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key } },
  });
  t.after(() => h.close());
  await accepted(h);
  assert.deepEqual(link.items[0], { up: true, securityProfile: 3 });
  assert.deepEqual(h.csms.validationFailures, []);
});

test('A00.FR.407: profile 3 without a usable client certificate never connects, is reported, and does not crash the station', async (t) => {
  const pki = testPki();
  const stranger = pki.otherCa.issueClientCertificate({ commonName: 'CS001' });
  const tlsCsms = {
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requireClientCertificate: true },
  };
  const { h, errors, events } = await observedHarness({
    identity: 'CS001',
    basicAuth: false,
    csms: tlsCsms,
    set: ['OCPPCommCtrlr.RetryBackOffRepeatTimes=0'],
    profiles: (csms) => [profile(1, csms.url, { securityProfile: 3 })],
    // No certificate at all: the transport cannot be configured (names the missing certificate).
    station: { tls: { ca: pki.ca.cert } },
  });
  t.after(() => h.close());
  const config = await errors.waitFor((e) => e instanceof TransportConfigError, 'a configuration error');
  assert.match(String(config), /ChargingStationCertificate/);
  await errors.waitFor((e) => e instanceof TransportConfigError, 'a second attempt', {
    from: errors.items.indexOf(config) + 1,
  });

  // A certificate from a CA the CSMS does not trust: the CSMS ends the handshake.
  await h.restart({ tls: { ca: pki.ca.cert, cert: stranger.cert, key: stranger.key } });
  const from = errors.items.length;
  const refused = await errors.waitFor((e) => e instanceof TransportError, 'a refused handshake', { from });
  assert.ok(['tls', 'network'].includes((refused as TransportError).kind), String(refused));
  assert.equal(h.station.isConnected, false);
  assert.deepEqual(h.csms.calls, []);
  // Refused by the CSMS is not an invalid CSMS certificate.
  assert.equal(
    events.count((type) => type === 'InvalidCsmsCertificate'),
    0,
  );
});

test('A00.FR.316 (TC_A_06_CS): a CSMS that only offers TLS below 1.2 is refused; InvalidTLSVersion is raised once and delivered over the next profile', async (t) => {
  const pki = testPki();
  const old = pki.ca.issueServerCertificate();
  // TLS 1.0/1.1 only (OpenSSL needs security level 0 for them).
  const legacy = createHttpsServer({
    cert: old.cert,
    key: old.key,
    minVersion: 'TLSv1',
    maxVersion: 'TLSv1.1',
    ciphers: 'DEFAULT:@SECLEVEL=0',
  });
  await new Promise<void>((resolve) => legacy.listen(0, '127.0.0.1', resolve));
  const address = legacy.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const { h, errors, events, link } = await observedHarness({
    csms: { tls: { cert: pki.server.cert, key: pki.server.key } },
    profiles: (csms) => [
      profile(1, `wss://127.0.0.1:${address.port}/ocpp`, { securityProfile: 2 }),
      profile(2, csms.url, { securityProfile: 2 }),
    ],
    set: [
      'OCPPCommCtrlr.NetworkConfigurationPriority=1,2',
      'OCPPCommCtrlr.NetworkProfileConnectionAttempts=2',
      'OCPPCommCtrlr.RetryBackOffWaitMinimum=0',
    ],
    station: { tls: { ca: pki.ca.cert } },
  });
  t.after(async () => {
    await h.close();
    legacy.closeAllConnections();
    await new Promise<void>((resolve) => legacy.close(() => resolve()));
  });
  await accepted(h);
  assert.deepEqual(link.items[0], { up: true, securityProfile: 2 });
  const failures = transportErrors(errors.items);
  assert.equal(failures.length, 2);
  assert.ok(
    failures.every((e) => e.kind === 'tls-version'),
    failures.map(String).join('\n'),
  );
  assert.equal(
    events.count((type) => type === 'InvalidTLSVersion'),
    1,
  );
  const sent = await securityEventsAtCsms(h);
  assert.equal(sent.filter((type) => type === 'InvalidTLSVersion').length, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});
