/**
 * How much xstate work a station's boot is (issue 9): the actors, xstate events and inspection
 * events of one fresh boot (start → BootNotification Accepted → every connector's StatusNotification
 * answered), counted from the inspection stream. The bounds are the counts measured when they were
 * written (18 events, 8 actors, 77 inspection events, 8 actors left running; before the calls became
 * effects answering with events, src/runtime/call-effects.ts: 24, 11, 95, 8), so a change that adds
 * work to every boot fails here and has to say why. A restart with stored state still resumes, one
 * with nothing stored is a fresh boot; both report every connector again (B01.FR.05).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AnyActorRef, InspectionEvent } from 'xstate';
import type { StatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import { waitFor } from '../../src/testing/index.js';
import { registered } from './csms-helpers.js';
import { startHarness, type Harness } from './station-harness.js';

/** The inspection stream of the station, with a change signal for waitFor. */
function recorder() {
  const events: InspectionEvent[] = [];
  const changes = new EventTarget();
  return {
    events,
    changes,
    inspect: (event: InspectionEvent) => {
      events.push(event);
      changes.dispatchEvent(new Event('change'));
    },
  };
}

/** Every connector acknowledged (reported) and its report region idle: the boot's work is done. */
async function bootDone(h: Harness, changes: EventTarget): Promise<void> {
  const system = () => h.station.station.station.system;
  await waitFor(
    changes,
    () => {
      const done = ['connector:1:1', 'connector:2:1'].every((id) => {
        const snapshot = system().get(id)?.getSnapshot() as
          { context: { reported: string | null }; value: { report?: string } } | undefined;
        return snapshot?.context.reported != null && snapshot.value.report === 'idle';
      });
      return done ? true : undefined;
    },
    'both connectors reported',
    20_000,
  );
}

/** What the xstate events of `events` were, by type. */
function eventTypes(events: InspectionEvent[]): string[] {
  return events
    .filter((e) => e.type === '@xstate.event')
    .map((e) => (e as { event: { type: string } }).event.type);
}

test('a fresh boot: at most 8 actors, 18 xstate events and 77 inspection events; 8 actors left running', async (t) => {
  const r = recorder();
  const h = await startHarness({ station: { inspect: r.inspect } });
  t.after(() => h.close());
  await registered(h);
  await bootDone(h, r.changes);
  const events = [...r.events];
  const actors = events.filter((e) => e.type === '@xstate.actor').map((e) => e.actorRef as AnyActorRef);
  const types = eventTypes(events);
  const running = actors
    .filter((a) => a.getSnapshot().status === 'active')
    .map((a) => (a as { systemId?: string }).systemId ?? a.id);
  const what = `actors: ${running.join(', ')}; events: ${types.join(', ')}`;
  t.diagnostic(`${actors.length} actors, ${types.length} xstate events, ${events.length} inspection events, ${running.length} running; ${what}`);
  assert.ok(actors.length <= 8, `${actors.length} actors; ${what}`);
  assert.ok(types.length <= 18, `${types.length} xstate events; ${what}`);
  assert.ok(events.length <= 77, `${events.length} inspection events; ${what}`);
  assert.ok(running.length <= 8, `${running.length} actors running; ${what}`);
  // Issue 9: the calls (BootNotification, each StatusNotification) are effects answering with an
  // event, not invoked actors: the actors of a boot are the named ones, and each answer is one event.
  const names = actors.map((a) => (a as { systemId?: string }).systemId ?? a.id).sort();
  assert.deepEqual(
    names,
    ['boot', 'connection', 'connector:1:1', 'connector:2:1', 'evse:1', 'evse:2', 'socket', 'station'],
    what,
  );
  assert.equal(types.filter((type) => type === 'bootNotification.done').length, 1, what);
  assert.equal(types.filter((type) => type === 'statusNotification.done').length, 2, what);
  // What is not done any more, by name: no resumed (nothing restored), no default facts told, no
  // echo of the stored HeartbeatInterval, no heartbeat wait actor, no link through the EVSEs.
  for (const gone of ['resumed', 'connector.facts', 'evse.connectorFacts', 'settings.heartbeatInterval']) {
    assert.ok(!types.includes(gone), `${gone}: ${what}`);
  }
  assert.ok(!running.includes('heartbeatWait'), what);
  const links = events.filter(
    (e) => e.type === '@xstate.event' && (e as { event: { type: string } }).event.type === 'link',
  );
  assert.deepEqual(links.map((e) => (e.actorRef as { systemId?: string }).systemId).sort(), [
    'connector:1:1',
    'connector:2:1',
  ]);
});

/** The systemIds that received a `resumed` event in the recorded inspection stream. */
function resumedBy(events: InspectionEvent[]): string[] {
  return events
    .filter((e) => e.type === '@xstate.event' && (e as { event: { type: string } }).event.type === 'resumed')
    .map((e) => (e.actorRef as { systemId?: string }).systemId ?? '');
}

/** Restarts the harness and waits for the BootNotification and one StatusNotification per EVSE. */
async function restartReported(h: Harness, inspect: (event: InspectionEvent) => void): Promise<string[]> {
  await h.station.station.persistence.flushed();
  await h.restart({ inspect });
  await h.csms.waitForCall('BootNotification');
  const statuses = [
    await h.csms.waitForCall('StatusNotification'),
    await h.csms.waitForCall('StatusNotification'),
  ];
  return statuses.map((c) => {
    const p = c.payload as StatusNotificationRequest;
    return `${p.evseId}/${p.connectorId}:${p.connectorStatus}`;
  });
}

test('a restart with stored state resumes: the restored EVSE hears resumed and every connector is reported again (B01.FR.05)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  h.station.onFaulted(2, 1); // a real change: stored (report-state-writes.test.ts)
  await h.csms.waitForCall('StatusNotification');
  const r = recorder();
  assert.deepEqual((await restartReported(h, r.inspect)).sort(), ['1/1:Available', '2/1:Faulted']);
  // The restored EVSE (and its connector) resume; EVSE 1 stored nothing, so it starts fresh.
  const by = resumedBy(r.events);
  assert.ok(by.includes('station') && by.includes('evse:2') && !by.includes('evse:1'), by.join(', '));
});

test('a restart of a station that stored nothing is a fresh boot: no resumed, every connector still reported (B01.FR.05)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const r = recorder();
  assert.deepEqual((await restartReported(h, r.inspect)).sort(), ['1/1:Available', '2/1:Available']);
  assert.deepEqual(resumedBy(r.events), []);
});
