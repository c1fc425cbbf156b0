/**
 * Model-based tests of registration and the connection (B01–B04, G02, Part 4 §5.3): paths from
 * xstate/graph over registration-projection.ts, each run on a real station (ChargePoint, SQLite
 * file) against the strict test CSMS, which answers as the path says. After every step the
 * production transitions the projection names must have fired in the runtime (inspection stream),
 * and the CSMS must have seen what the spec says (a BootNotification exactly when one is due, with
 * reason Triggered when triggered, none on a reconnect once Accepted, the Heartbeat).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRPCError } from 'ocpp-rpc';
import { bootMachine } from '../../machines/boot.js';
import { connectionMachine } from '../../machines/connection.js';
import type { BootNotificationRequest, RegistrationStatusEnumType } from '../../src/generated/ocpp-types.js';
import {
  TransitionCoverage,
  checkProjection,
  formatCoverage,
  mergeCoverage,
  transitionTours,
  waitFor,
  type MachineCoverage,
} from '../../src/testing/index.js';
import { TEST_PASSWORD, profile, startHarness, type Harness } from '../integration/station-harness.js';
import { publishCoverage } from './coverage-sink.js';
import {
  B,
  C,
  UNREACHABLE_BOOT,
  UNREACHABLE_CONNECTION,
  registrationProjection,
  type RegistrationEvent,
} from './registration-projection.js';

const MACHINES = [bootMachine, connectionMachine];
const paths = transitionTours<RegistrationEvent>(registrationProjection, { maxSteps: 8, maxPaths: 30 });
const reports: MachineCoverage[] = [];
after(() => publishCoverage('registration', mergeCoverage(reports)));

const emptyProblems = { unnamed: [], unknown: [], silent: [], contradictory: [], unvisited: [] };

/** The CSMS side of one path: BootNotifications wait for the path's answer. */
function bootDesk(h: Harness, nextInterval: () => number) {
  const waiting: Array<(status: RegistrationStatusEnumType | 'error') => void> = [];
  const changes = new EventTarget();
  let heartbeatError = false;
  h.csms.onCall('BootNotification', () => {
    return new Promise((resolve, reject) => {
      waiting.push((status) =>
        status === 'error'
          ? reject(createRPCError('InternalError', 'the model says so'))
          : resolve({ status, interval: nextInterval(), currentTime: new Date().toISOString() }),
      );
      changes.dispatchEvent(new Event('change'));
    });
  });
  h.csms.onCall('Heartbeat', () => {
    if (heartbeatError) {
      heartbeatError = false;
      throw createRPCError('InternalError', 'the model says so');
    }
    return { currentTime: new Date().toISOString() };
  });
  return {
    /** Answers the BootNotification the station is waiting on (waits for it to arrive). */
    async answer(status: RegistrationStatusEnumType | 'error' | 'silent'): Promise<void> {
      const reply = await waitFor(changes, () => waiting.shift(), 'a BootNotification', 10_000);
      // Silent: answered only after the station's 1 s message timeout has ended the call (an
      // answer held for ever would hold the CSMS side of the connection open when it closes).
      if (status === 'silent') setTimeout(() => reply('Accepted'), 3000).unref();
      else reply(status);
    },
    /** Forgets (answers into the void) a BootNotification whose connection is gone. */
    drop(): void {
      for (const reply of waiting.splice(0)) reply('Accepted');
    },
    failNextHeartbeat(): void {
      heartbeatError = true;
    },
  };
}

const boots = (h: Harness) =>
  h.csms.calls.filter((c) => c.identity === h.identity && c.action === 'BootNotification');

/** The CSMS closes the station's connection at once (no wait for the answers it still holds). */
async function drop(h: Harness): Promise<void> {
  const client = h.csms.clients.get(h.identity);
  assert.ok(client, 'the station is connected');
  await client.close({ code: 1000, force: true });
}

const NEW_PASSWORD = 'CAFEBABECAFEBABE';

async function perform(
  h: Harness & { heartbeatS?: number },
  desk: ReturnType<typeof bootDesk>,
  coverage: TransitionCoverage,
  mark: number,
  event: RegistrationEvent['type'],
  from: string,
): Promise<void> {
  const { station, csms, identity } = h;
  switch (event) {
    case 'START':
    case 'START_AFTER_OWN_RESET':
      return station.start();
    case 'CSMS_ACCEPTS':
      return desk.answer('Accepted');
    case 'CSMS_PENDING':
      return desk.answer('Pending');
    case 'CSMS_REJECTS':
      return desk.answer('Rejected');
    case 'CSMS_CALLERROR':
      return desk.answer('error');
    case 'CSMS_SILENT':
      return desk.answer('silent');
    case 'INTERVAL_ENDS':
      return; // the station's own timer: the step waits for what it must fire
    case 'CSMS_TRIGGERS_BOOT':
      assert.deepEqual(
        await csms.call(identity, 'TriggerMessage', { requestedMessage: 'BootNotification' }),
        {
          status: 'Accepted',
        },
      );
      return;
    case 'CSMS_SETS_HEARTBEAT_INTERVAL': {
      // A new value (the same value again is no change the boot chart hears of).
      const heartbeatS = (h.heartbeatS ?? 1) === 1 ? 2 : 1;
      h.heartbeatS = heartbeatS;
      const answer = (await csms.call(identity, 'SetVariables', {
        setVariableData: [
          {
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'HeartbeatInterval' },
            attributeValue: String(heartbeatS),
          },
        ],
      })) as { setVariableResult: Array<{ attributeStatus: string }> };
      assert.equal(answer.setVariableResult[0]?.attributeStatus, 'Accepted');
      return;
    }
    case 'CSMS_DROPS_CONNECTION':
      // Forced: a close that waited for the BootNotification held open would wait for ever.
      await drop(h);
      desk.drop();
      return;
    case 'CSMS_DROPS_HOST_RECONNECTS_AT_ONCE':
      await drop(h);
      await coverage.waitForFired(mark, [C.dropped]);
      return station.connectWebsocket();
    case 'CSMS_DROPS_HOST_GOES_OFFLINE':
      await drop(h);
      await coverage.waitForFired(mark, [C.dropped]);
      station.disconnectWebsocket();
      await coverage.waitForFired(mark, [C.waitingOffline]);
      return station.connectWebsocket();
    case 'HOST_OFFLINE_PAST_INTERVAL':
      station.disconnectWebsocket();
      await coverage.waitForFired(mark, [B.retryOffline(from)]);
      return station.connectWebsocket();
    case 'HEARTBEAT_ANSWERED':
      return;
    case 'HEARTBEAT_CALLERROR':
      return desk.failNextHeartbeat();
    case 'NEW_PASSWORD_REFUSED_THEN_KNOWN': {
      const answer = (await csms.call(identity, 'SetVariables', {
        setVariableData: [
          {
            component: { name: 'SecurityCtrlr' },
            variable: { name: 'BasicAuthPassword' },
            attributeValue: NEW_PASSWORD,
          },
        ],
      })) as { setVariableResult: Array<{ attributeStatus: string }> };
      assert.equal(answer.setVariableResult[0]?.attributeStatus, 'Accepted');
      await coverage.waitForFired(mark, [C.refused]);
      (h as Harness & { passwords: Record<string, string> }).passwords[identity] = NEW_PASSWORD;
      return;
    }
  }
}

describe('registration and connection: projection paths (xstate/graph) on the real runtime', () => {
  test('the projection names every transition of the boot and connection charts', () => {
    assert.deepEqual(checkProjection(bootMachine, registrationProjection, UNREACHABLE_BOOT), {
      ...emptyProblems,
      // Names of the connection chart are no boot transitions (checked below).
      unknown: checkProjection(bootMachine, registrationProjection).unknown,
    });
    const connection = checkProjection(connectionMachine, registrationProjection, UNREACHABLE_CONNECTION);
    assert.deepEqual(connection.unnamed, []);
    assert.deepEqual(
      connection.unknown.filter((k) => k.startsWith('connection')),
      [],
    );
    assert.deepEqual(
      checkProjection(bootMachine, registrationProjection).unknown.filter((k) => k.startsWith('boot')),
      [],
    );
  });

  describe('paths', { concurrency: 6 }, () => {
    for (const [i, path] of paths.entries()) {
      test(`[${i + 1}] ${path.name}`, { timeout: 60_000 }, async (t) => {
        const coverage = new TransitionCoverage(MACHINES);
        const dropsNext = (k: number): boolean => path.steps[k + 1]?.event.type === 'CSMS_DROPS_CONNECTION';
        const afterReset = path.steps[0]?.event.type === 'START_AFTER_OWN_RESET';
        // The CSMS's passwords, read at every handshake (A01: the test changes one).
        const passwords: Record<string, string> = { [`MBT-REG-${i + 1}`]: TEST_PASSWORD };
        const harness = await startHarness({
          identity: `MBT-REG-${i + 1}`,
          csms: { passwords },
          noStart: true,
          // A BootNotification the CSMS leaves unanswered times out after 1 s (B01 error handling).
          ...(path.steps.some((s) => s.event.type === 'CSMS_SILENT')
            ? { profiles: (csms) => [profile(1, csms.url, { messageTimeout: 1 })] }
            : {}),
          station: {
            inspect: coverage.inspect,
            bootRetryIntervalS: path.steps.some((s, k) => s.event.type === 'CSMS_CALLERROR' && dropsNext(k))
              ? 4
              : 1,
            ...(afterReset ? { bootReason: 'RemoteReset' as const } : {}),
          },
        });
        const h = Object.assign(harness, { passwords });
        t.after(() => h.close());
        // A wait that a dropped connection must not outlast (its reconnect takes the 1 s back-off)
        // is longer than the back-off; the others end after 1 s.
        let n = 0;
        const desk = bootDesk(h, () => (dropsNext(n) ? 4 : 1));
        let state = 'stopped';
        for (const step of path.steps) {
          const where = `step ${n + 1} (${step.event.type} in ${state})`;
          const bootsBefore = boots(h).length;
          const heartbeatsBefore = h.csms.calls.filter(
            (c) => c.identity === h.identity && c.action === 'Heartbeat',
          ).length;
          const mark = coverage.mark();
          await perform(h, desk, coverage, mark, step.event.type, state);
          await coverage.waitForFired(mark, step.fires).catch((e: Error) => {
            throw new Error(`${where}: ${e.message}`);
          });
          const next = String(step.value);
          if (next === 'registering') {
            // A BootNotification is due: it arrives, with reason Triggered when the CSMS asked for it (F06).
            const call = await h.csms.waitForCall(
              'BootNotification',
              (c) => c.identity === h.identity && boots(h).indexOf(c) >= bootsBefore,
            );
            const reason = (call.payload as BootNotificationRequest).reason;
            if (step.event.type === 'CSMS_TRIGGERS_BOOT') assert.equal(reason, 'Triggered', where);
            else assert.equal(reason, afterReset ? 'RemoteReset' : 'PowerUp', where);
          } else if (next !== 'reconnected') {
            // Part 4 §5.3, B02.FR.04, B03.FR.02: nothing else makes the station boot again.
            assert.equal(boots(h).length, bootsBefore, `${where}: no BootNotification`);
          }
          const expectedStatus = { accepted: 'Accepted', pending: 'Pending', rejected: 'Rejected' }[next];
          if (expectedStatus) assert.equal(h.station.registrationStatus, expectedStatus, where);
          if (step.event.type === 'HEARTBEAT_ANSWERED' || step.event.type === 'HEARTBEAT_CALLERROR') {
            const count = h.csms.calls.filter(
              (c) => c.identity === h.identity && c.action === 'Heartbeat',
            ).length;
            assert.ok(count > heartbeatsBefore, `${where}: G02: a Heartbeat was sent`);
          }
          state = next;
          n += 1;
        }
        assert.deepEqual(h.csms.validationFailures, []);
        coverage.countPaths('boot');
        coverage.countPaths('connection');
        reports.push(...coverage.report());
      });
    }
  });

  test('coverage of the paths run', (t) => {
    for (const line of formatCoverage(mergeCoverage(reports)).split('\n')) t.diagnostic(line);
  });
});
