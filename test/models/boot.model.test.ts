/**
 * Model-based test: every simple path of the abstract boot model (xstate/graph) is run against a
 * real station and the strict test CSMS; after each step the station must be where the model is.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import { bootModel, type BootModelEvent } from './boot-model.js';
import { startHarness, type Harness } from '../integration/station-harness.js';
import type { RegistrationStatusEnumType } from '../../src/generated/ocpp-types.js';

const ANSWERS: Partial<Record<BootModelEvent['type'], RegistrationStatusEnumType>> = {
  CSMS_ACCEPTS: 'Accepted',
  CSMS_PENDING: 'Pending',
  CSMS_REJECTS: 'Rejected',
};

type ModelPath = ReturnType<typeof getSimplePaths<typeof bootModel>>[number];

/** Transitions of the model a path takes, as `state --EVENT--> state` (context left out). */
function edges(path: ModelPath): string[] {
  return path.steps
    .slice(1)
    .map(
      (step, i) =>
        `${String(path.steps[i]!.state.value)} --${step.event.type}--> ${String(step.state.value)}`,
    );
}

/**
 * All simple paths (states told apart by their boot count too), reduced greedily to a few that
 * together take every transition of the model: each runs a real station, so fewer is faster.
 */
function coveringPaths(): ModelPath[] {
  const all = getSimplePaths(bootModel, { serializeState: (s) => JSON.stringify([s.value, s.context]) });
  const uncovered = new Set(all.flatMap(edges));
  const chosen: ModelPath[] = [];
  while (uncovered.size > 0) {
    let best = all[0]!;
    let gain = -1;
    for (const path of all) {
      const g = new Set(edges(path).filter((e) => uncovered.has(e))).size;
      if (g > gain || (g === gain && path.steps.length < best.steps.length)) [best, gain] = [path, g];
    }
    chosen.push(best);
    for (const e of edges(best)) uncovered.delete(e);
  }
  return chosen;
}

const paths = coveringPaths();

/**
 * B02.FR.04 / B03.FR.02 watched inside the real station: once the CSMS has answered Pending or
 * Rejected (or not at all), the boot chart may enter `registering` again only when its retry wait
 * has ended or the CSMS triggered it: never because of a reconnect. Read from the inspection
 * stream, so it holds whatever order the reconnect and the interval come in.
 */
function retryWatch() {
  const violations: string[] = [];
  let previous: unknown;
  let mustWait = false;
  return {
    violations,
    inspect(event: InspectionEvent) {
      if (event.type !== '@xstate.snapshot' || (event.actorRef as AnyActorRef).id !== 'boot') return;
      const value = (event.snapshot as { value?: unknown }).value;
      const cause = event.event.type;
      if (cause === 'xstate.done.actor.retryWait' || cause === 'trigger.BootNotification') mustWait = false;
      if (value === 'registering' && previous !== 'registering' && mustWait) {
        violations.push(`registering on ${cause} before the retry interval ended`);
      }
      if (previous === 'registering' && value !== 'registering' && value !== 'disconnected') {
        mustWait = typeof value === 'string' && ['pending', 'rejected', 'waitingToRetry'].includes(value);
      }
      previous = value;
    },
  };
}

/** A Pending or Rejected station reconnected; the CSMS sees it again. */
async function reconnected(h: Harness): Promise<void> {
  await h.csms.waitForClient(h.identity);
}

async function expectConfigurable(h: Harness): Promise<void> {
  // B02.FR.01: the CSMS may still configure the station while Pending.
  const res = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
  })) as { getVariableResult: Array<{ attributeStatus: string }> };
  assert.equal(res.getVariableResult[0]?.attributeStatus, 'Accepted');
  assert.ok(
    !h.csms.calls.some((c) => c.action === 'StatusNotification'),
    'B02.FR.02: no StatusNotification while Pending',
  );
}

async function expectSecurityError(h: Harness): Promise<void> {
  // B03.FR.08: every CSMS CALL is answered with SecurityError.
  await assert.rejects(
    h.csms.call(h.identity, 'GetVariables', {
      getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
    }),
    (e: unknown) =>
      (e as { rpcErrorCode?: string; message: string }).rpcErrorCode === 'SecurityError' ||
      /SecurityError/.test(String(e)),
  );
}

/** What must hold in each model state, checked on the real station. */
async function verify(state: string, h: Harness, bootsSoFar: number): Promise<void> {
  const status = () => h.station.registrationStatus;
  switch (state) {
    case 'awaitingAnswer':
      await h.csms.waitForCall('BootNotification');
      break;
    case 'pending':
      await waitUntil(() => status() === 'Pending');
      await expectConfigurable(h);
      break;
    case 'pendingReconnected':
      await reconnected(h);
      assert.equal(status(), 'Pending');
      await expectConfigurable(h);
      break;
    case 'rejected':
      await waitUntil(() => status() === 'Rejected');
      await expectSecurityError(h);
      break;
    case 'rejectedReconnected':
      await reconnected(h);
      assert.equal(status(), 'Rejected');
      await expectSecurityError(h);
      break;
    case 'accepted':
      await waitUntil(() => status() === 'Accepted');
      // B01.FR.05: a StatusNotification per connector after Accepted.
      await h.csms.waitForCall('StatusNotification');
      await h.csms.waitForCall('StatusNotification');
      break;
    case 'resumed': {
      await h.csms.waitForClient(h.identity);
      // The CSMS can talk to it at once; no new BootNotification was sent.
      await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' });
      await h.csms.waitForCall('Heartbeat');
      assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, bootsSoFar);
      assert.equal(status(), 'Accepted');
      break;
    }
    default:
      throw new Error(`no check for model state ${state}`);
  }
}

async function waitUntil(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('boot model paths (xstate/graph) against the real runtime', () => {
  test('the chosen paths visit every state and take every transition of the model', () => {
    const reached = new Set(paths.flatMap((p) => p.steps.map((s) => String(s.state.value))));
    assert.deepEqual([...reached].sort(), [
      'accepted',
      'awaitingAnswer',
      'pending',
      'pendingReconnected',
      'rejected',
      'rejectedReconnected',
      'resumed',
    ]);
    const taken = new Set(paths.flatMap(edges));
    // 3 answers from awaitingAnswer, 3 ways out of pending, 2 out of pendingReconnected, 2 out of
    // rejected, 1 out of rejectedReconnected, 1 out of accepted.
    assert.equal(taken.size, 12);
  });

  for (const path of paths) {
    // The first step is the machine's init event, not a model event.
    const events = path.steps.slice(1).map((s) => s.event.type);
    test(events.join(' → '), async (t) => {
      const script = events.flatMap((e) => (ANSWERS[e] ? [ANSWERS[e]] : []));
      const watch = retryWatch();
      const h = await startHarness({
        noStart: true,
        csms: { boot: { heartbeatInterval: 1 } },
        // An immediate reconnect: the station is back while the 1 s retry interval still runs.
        set: ['OCPPCommCtrlr.RetryBackOffWaitMinimum=0'],
        station: { inspect: watch.inspect },
      });
      t.after(() => h.close());
      h.csms.onCall('BootNotification', () => ({
        status: script.shift() ?? 'Accepted',
        interval: 1,
        currentTime: new Date().toISOString(),
      }));
      await h.station.start();
      let boots = 0;
      for (const step of path.steps) {
        const state = String(step.state.value);
        switch (step.event.type) {
          case 'CSMS_TRIGGERS_BOOT':
            assert.deepEqual(
              await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'BootNotification' }),
              { status: 'Accepted' },
            );
            break;
          case 'CSMS_DROPS_CONNECTION':
            await h.csms.disconnect(h.identity);
            break;
          default:
            break;
        }
        if (state === 'awaitingAnswer') boots += 1;
        await verify(state, h, boots);
        assert.deepEqual(watch.violations, [], `after reaching ${state}`);
      }
    });
  }
});
