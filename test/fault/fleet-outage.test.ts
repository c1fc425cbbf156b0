/**
 * Network faults across a fleet (issue 9, "Fault tests"): stations of one StationFleet (one SQLite
 * file) with transactions running on both EVSEs, against the strict test CSMS.
 *
 * 1. A long outage: the CSMS goes away; the station clock jumps 6 hours (what the CSMS later sees in
 *    the timestamps; the reconnect back-off and the offline duration run on host time) while
 *    periodic meter data (TxUpdatedInterval 1 s, accelerated) piles up well past
 *    InternalCtrlr.MessageQueueSizeThreshold; one transaction per station ends offline. The CSMS
 *    comes back on the same port first as a peer whose link dies silently (it never answers
 *    websocket pings: every station reconnects, detects the missed pong within
 *    WebSocketPingInterval and reconnects again), then as a healthy one.
 * 2. A TLS failure: the CSMS comes back on the same port presenting a certificate from a CA the
 *    stations do not trust (A00.FR.310/311), then with a good one.
 *
 * After each, per station, over everything the CSMS instances received (a CALL delivered again after
 * a lost answer counts once, and must be the same CALL): TransactionEvents arrive in the order the
 * station produced them; every transaction has Started first and Ended last; the only events never
 * delivered are offline meter-data Updated events (J02.FR.12/13, src/queue/queue-bound.ts); the queue
 * never held more than MessageQueueSizeThreshold + 1 messages; no station rebooted. The drop rule
 * itself (which ones) is tested in test/queue/queue-bound.test.ts and
 * test/integration/queue-bound.test.ts; a missed pong of one station in
 * test/integration/connection.test.ts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChargePoint } from '../../src/charge-point.js';
import { createStationClock } from '../../src/clock.js';
import { parseSetArgument } from '../../src/device-model/index.js';
import { StationFleet } from '../../src/fleet/station-fleet.js';
import type { TransactionEventRequest } from '../../src/generated/ocpp-types.js';
import {
  startTestCsms,
  type ReceivedCall,
  type TestCsms,
  type TestCsmsOptions,
} from '../../src/testing/index.js';
import { TransportError } from '../../src/transport/errors.js';
import { testPki } from '../helpers/pki.js';
import { TWO_EVSES, profile } from '../integration/station-harness.js';
import { txHost, type TxHost } from '../integration/transactions-helpers.js';
import { recorder, type Recorder } from '../integration/recorder.js';

type Tx = TransactionEventRequest;

const STATIONS = 3;
const THRESHOLD = 8;
/** Periodic events each station produces offline: enough for several thinning passes. */
const OFFLINE_PERIODIC = 3 * THRESHOLD;
const WAIT_MS = 60_000;
const SIX_HOURS_MS = 6 * 3_600_000;

const token = (stationId: string, evseId: number) => ({
  idToken: `${stationId}-E${evseId}`,
  type: 'ISO14443' as const,
});

interface FleetStation {
  id: string;
  cp: ChargePoint;
  host: TxHost;
  errors: Recorder<unknown>;
  /** Most messages the station's queue held at once while offline. */
  maxQueued: number;
}

/** A fleet of STATIONS stations on one database, started and registered; each runs two transactions. */
async function fleetWithTransactions(
  t: TestContext,
  csms: TestCsms,
  options: { prefix: string; set?: string[]; tls?: { ca: string }; url?: (csms: TestCsms) => string },
) {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-fleet-outage-'));
  const fleet = await StationFleet.create({ database: path.join(dir, 'fleet.db'), evses: TWO_EVSES });
  const clock = createStationClock();
  const set = [
    'SampledDataCtrlr.TxUpdatedInterval=1',
    `InternalCtrlr.MessageQueueSizeThreshold=${THRESHOLD}`,
    'OCPPCommCtrlr.RetryBackOffWaitMinimum=1',
    'OCPPCommCtrlr.RetryBackOffRandomRange=0',
    'OCPPCommCtrlr.RetryBackOffRepeatTimes=0',
    'OCPPCommCtrlr.OfflineThreshold=1',
    // The time stays ours: the CSMS's currentTime must not undo the simulated jump.
    'ClockCtrlr.TimeSource=RealTimeClock',
    ...(options.url
      ? [
          `InternalCtrlr.NetworkConnectionProfiles=${JSON.stringify([profile(1, options.url(csms), { securityProfile: 2 })])}`,
        ]
      : []),
    ...(options.set ?? []),
  ];
  const stations: FleetStation[] = [];
  for (let n = 1; n <= STATIONS; n++) {
    const id = `${options.prefix}${n}`;
    const host = txHost();
    const errors = recorder<unknown>();
    const station: FleetStation = { id, host, errors, maxQueued: 0, cp: undefined as unknown as ChargePoint };
    station.cp = fleet.chargePoint({
      stationId: id,
      ...(options.url ? {} : { csmsUrl: csms.url }),
      clock,
      overrides: set.map(parseSetArgument),
      onError: (e) => errors.push(e),
      ...(options.tls ? { tls: options.tls } : {}),
      callbacks: {
        ...host.callbacks,
        transactionEventCallback: (request) => {
          host.callbacks.transactionEventCallback?.(request);
          // The bound, sampled whenever the station produces an event (J02.FR.12/13). It counts the
          // durable messages waiting (docs/message-queue.md): an in-memory StatusNotification or
          // Heartbeat waiting behind them at that instant is not part of it.
          station.maxQueued = Math.max(station.maxQueued, station.cp.station.queue.pendingDurable().length);
        },
      },
    });
    stations.push(station);
  }
  t.after(async () => {
    for (const s of stations) await s.cp.stop();
    await fleet.close();
    await rm(dir, { recursive: true, force: true });
  });
  for (const s of stations) await s.cp.start();
  for (const s of stations) {
    await csms.waitForCall('BootNotification', (c) => c.identity === s.id, WAIT_MS);
    for (const evseId of [1, 2]) {
      s.cp.onMeterValue(evseId, { timestamp: clock.nowIso(), sampledValue: [{ value: 1000 * evseId }] });
      s.cp.onSessionStarted(evseId, 1);
      assert.equal((await s.cp.onAuthorizationPresented(token(s.id, evseId), evseId)).action, 'started');
      s.cp.onEnergyTransferStarted(evseId);
    }
  }
  for (const s of stations) {
    for (const evseId of [1, 2]) {
      const transactionId = s.cp.getTransactionId(evseId);
      assert.ok(transactionId, `${s.id}: a transaction on EVSE ${evseId}`);
      await csms.waitForCall(
        'TransactionEvent',
        (c) =>
          c.identity === s.id &&
          (c.payload as Tx).triggerReason === 'ChargingStateChanged' &&
          (c.payload as Tx).transactionInfo.transactionId === transactionId,
        WAIT_MS,
      );
    }
  }
  return { stations, clock };
}

/** Waits until every station's link went down (from its host's view) after `from` link changes. */
async function allDown(stations: readonly FleetStation[], from: readonly number[]) {
  await Promise.all(
    stations.map((s, i) =>
      s.host.link.waitFor((up) => !up, `${s.id} offline`, { from: from[i] ?? 0, timeoutMs: WAIT_MS }),
    ),
  );
}

/** Offline: each station produces OFFLINE_PERIODIC periodic events; then EVSE 2's transaction ends. */
async function offlineWork(stations: readonly FleetStation[]) {
  const from = stations.map((s) => s.host.produced.items.length);
  for (const [i, s] of stations.entries()) {
    await s.host.produced.waitFor(
      () =>
        s.host.produced.items
          .slice(from[i])
          .filter((p) => !p.linkUp && p.request.triggerReason === 'MeterValuePeriodic').length >=
        OFFLINE_PERIODIC,
      `${s.id}: ${OFFLINE_PERIODIC} periodic events offline`,
      { from: from[i] ?? 0, timeoutMs: WAIT_MS },
    );
  }
  for (const s of stations) {
    assert.equal((await s.cp.onAuthorizationPresented(token(s.id, 2), 2)).action, 'stopped');
    s.cp.onSessionFinished(2, 1);
  }
}

/**
 * Every station delivers EVSE 2's Ended (made offline; maybe already to an earlier CSMS instance),
 * then ends EVSE 1 online and delivers that to the last instance.
 */
async function finish(stations: readonly FleetStation[], instances: readonly TestCsms[]) {
  const csms = instances.at(-1) as TestCsms;
  const isEnded = (s: FleetStation, evseId: number) => (c: ReceivedCall) => {
    const p = c.payload as Tx;
    return (
      c.identity === s.id &&
      c.action === 'TransactionEvent' &&
      p.eventType === 'Ended' &&
      p.idToken?.idToken === token(s.id, evseId).idToken
    );
  };
  for (const s of stations) {
    if (instances.some((i) => i.calls.some(isEnded(s, 2)))) continue;
    await csms.waitForCall('TransactionEvent', isEnded(s, 2), WAIT_MS);
  }
  for (const s of stations) {
    assert.equal((await s.cp.onAuthorizationPresented(token(s.id, 1), 1)).action, 'stopped');
    await csms.waitForCall('TransactionEvent', isEnded(s, 1), WAIT_MS);
  }
}

/** The invariants of the file comment, per station, over the logs of `instances` (in time order). */
function checkDelivery(
  t: TestContext,
  stations: readonly FleetStation[],
  instances: readonly TestCsms[],
  jumpAt: number,
) {
  for (const csms of instances) assert.deepEqual(csms.validationFailures, []);
  for (const csms of instances.slice(1)) {
    assert.equal(
      csms.calls.filter((c) => c.action === 'BootNotification').length,
      0,
      'reconnects, not reboots',
    );
  }
  for (const s of stations) {
    const byMessageId = new Map<string, Tx>();
    const received: Tx[] = [];
    for (const call of instances.flatMap((csms) => csms.calls)) {
      if (call.identity !== s.id || call.action !== 'TransactionEvent') continue;
      const earlier = byMessageId.get(call.messageId);
      if (earlier) {
        assert.deepEqual(call.payload, earlier, `${s.id}: a CALL delivered again is the same CALL`);
        continue;
      }
      byMessageId.set(call.messageId, call.payload as Tx);
      received.push(call.payload as Tx);
    }
    const key = (e: Tx) => `${e.transactionInfo.transactionId}#${e.seqNo}`;
    const produced = s.host.produced.items.map((p) => p.request);
    const receivedKeys = new Set(received.map(key));
    assert.equal(receivedKeys.size, received.length, `${s.id}: one CALL per (transactionId, seqNo)`);
    // In order: what arrived is what was produced, in the same order, minus what the bound dropped.
    assert.deepEqual(
      received.map(key),
      produced.filter((e) => receivedKeys.has(key(e))).map(key),
      `${s.id}: delivered in the order produced`,
    );
    const dropped = produced.filter((e) => !receivedKeys.has(key(e)));
    for (const e of dropped) {
      assert.ok(
        // Made online or offline: it waited in the queue while the station was offline (J02.FR.12).
        // Clock-aligned readings are meter data too (src/queue/queue-bound.ts): one appears when the
        // run crosses an AlignedDataInterval boundary of the real clock.
        e.eventType === 'Updated' && (e.triggerReason === 'MeterValuePeriodic' || e.triggerReason === 'MeterValueClock'),
        `${s.id}: only meter data is dropped (J02.FR.12), not ${key(e)} ${e.eventType} ${e.triggerReason}`,
      );
    }
    assert.ok(dropped.length > 0, `${s.id}: the bound thinned the meter data of the outage`);
    assert.ok(
      s.maxQueued <= THRESHOLD + 1,
      `${s.id}: the queue held ${s.maxQueued} > threshold ${THRESHOLD} + 1`,
    );
    for (const id of new Set(received.map((e) => e.transactionInfo.transactionId))) {
      const events = received.filter((e) => e.transactionInfo.transactionId === id);
      assert.equal(events[0]?.eventType, 'Started', `${s.id} ${id}: Started first`);
      assert.equal(events.at(-1)?.eventType, 'Ended', `${s.id} ${id}: Ended last`);
      assert.deepEqual(
        events.map((e) => e.seqNo),
        [...events.map((e) => e.seqNo)].sort((a, b) => a - b),
      );
    }
    // The simulated hours: what was made after the jump carries the station's (later) time.
    const offline = received.filter((e) => e.offline === true);
    assert.ok(
      offline.some((e) => Date.parse(e.timestamp) >= jumpAt),
      `${s.id}: offline events carry the simulated time`,
    );
    t.diagnostic(
      `${s.id}: produced ${produced.length}, delivered ${received.length} (${offline.length} offline), ` +
        `dropped ${dropped.length} periodic, queue at most ${s.maxQueued}`,
    );
  }
}

/** Closes `csms` and starts the next CSMS on its port (the same address for the stations). */
async function replace(csms: TestCsms, options: TestCsmsOptions, later: TestCsms[]): Promise<TestCsms> {
  await csms.close();
  const next = await startTestCsms({ ...options, port: csms.port });
  later.push(next);
  return next;
}

test('a long outage with transactions running in every station, then a CSMS that misses pongs: queued events arrive in order, meter data thinned per J02.FR.12/13', async (t) => {
  const first = await startTestCsms();
  const instances = [first];
  t.after(async () => {
    for (const csms of instances) await csms.close();
  });
  const { stations, clock } = await fleetWithTransactions(t, first, {
    prefix: 'OUT-',
    set: ['OCPPCommCtrlr.WebSocketPingInterval=1'],
  });

  // The outage: nobody listens on the port; the stations retry every second, meanwhile 6 h pass.
  const links = stations.map((s) => s.host.link.items.length);
  await first.close();
  await allDown(stations, links);
  const jumpAt = clock.nowMs() + SIX_HOURS_MS;
  clock.setTime(new Date(jumpAt).toISOString());
  await offlineWork(stations);

  // Back, but the link dies silently: no pongs. Every station connects, then gives up on it.
  const silent = await startTestCsms({ port: first.port, autoPong: false });
  instances.push(silent);
  const upAgain = stations.map((s) => s.host.link.items.length);
  await Promise.all(
    stations.map(async (s, i) => {
      await s.host.link.waitFor((x) => x, `${s.id} reconnects`, {
        from: upAgain[i] ?? 0,
        timeoutMs: WAIT_MS,
      });
      const at = s.host.link.items.indexOf(true, upAgain[i]);
      await s.host.link.waitFor((x) => !x, `${s.id}: a missed pong closes the link`, {
        from: at + 1,
        timeoutMs: WAIT_MS,
      });
    }),
  );
  await replace(silent, {}, instances);
  await finish(stations, instances);
  for (const s of stations) {
    // B04.FR.01: offline longer than OfflineThreshold, every connector is reported again.
    const statuses = instances
      .slice(1)
      .flatMap((c) => c.calls)
      .filter((c) => c.identity === s.id && c.action === 'StatusNotification');
    assert.ok(statuses.length >= 2, `${s.id}: every connector reported after the outage`);
  }
  checkDelivery(t, stations, instances, jumpAt);
});

test('a TLS failure (the CSMS comes back with an untrusted certificate, then a good one): the fleet reconnects without a reboot and delivers what it queued, in order', async (t) => {
  const pki = testPki();
  const good = { tls: { cert: pki.server.cert, key: pki.server.key } };
  const first = await startTestCsms(good);
  const instances = [first];
  t.after(async () => {
    for (const csms of instances) await csms.close();
  });
  const { stations, clock } = await fleetWithTransactions(t, first, {
    prefix: 'TLS-',
    tls: { ca: pki.ca.cert },
    url: (csms) => csms.url,
  });
  assert.ok(first.url.startsWith('wss://'));
  const links = stations.map((s) => s.host.link.items.length);
  const errorsFrom = stations.map((s) => s.errors.items.length);
  const untrusted = pki.otherCa.issueServerCertificate();
  await replace(first, { tls: { cert: untrusted.cert, key: untrusted.key } }, instances);
  await allDown(stations, links);
  const jumpAt = clock.nowMs() + SIX_HOURS_MS;
  clock.setTime(new Date(jumpAt).toISOString());
  // A00.FR.310/311: the certificate is refused, again at the next attempt.
  for (const [i, s] of stations.entries()) {
    const refused = (e: unknown) => e instanceof TransportError && e.kind === 'tls-server-certificate';
    const one = await s.errors.waitFor(refused, `${s.id}: a refused certificate`, {
      from: errorsFrom[i] ?? 0,
      timeoutMs: WAIT_MS,
    });
    await s.errors.waitFor(refused, `${s.id}: refused again`, {
      from: s.errors.items.indexOf(one) + 1,
      timeoutMs: WAIT_MS,
    });
  }
  await offlineWork(stations);
  const bad = instances.at(-1) as TestCsms;
  assert.equal(bad.calls.length, 0, 'nothing reached the CSMS the stations do not trust');
  const healthy = await replace(bad, good, instances);
  await finish(stations, instances);
  for (const s of stations) {
    // A00.FR.316 note, A04.FR.02: InvalidCsmsCertificate once per series of failures, delivered later.
    const events = healthy.calls.filter(
      (c) =>
        c.identity === s.id &&
        c.action === 'SecurityEventNotification' &&
        (c.payload as { type: string }).type === 'InvalidCsmsCertificate',
    );
    assert.equal(events.length, 1, `${s.id}: one InvalidCsmsCertificate security event`);
  }
  checkDelivery(t, stations, instances, jumpAt);
});
