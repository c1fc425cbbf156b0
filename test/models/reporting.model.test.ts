/**
 * Model-based tests of StatusNotification reporting (G01, B01.FR.05, B04.FR.01/02): paths from
 * xstate/graph over reporting-projection.ts, each on a real station against the strict test CSMS,
 * which refuses a report when the path says so. After every step the named production transitions
 * must have fired in the runtime, and the StatusNotifications of the connector the CSMS received
 * must be exactly the ones the projection says (a refused one included, none when the CSMS already
 * knows the status).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRPCError } from 'ocpp-rpc';
import { connectorMachine } from '../../machines/connector.js';
import { evseMachine } from '../../machines/evse.js';
import type { StatusNotificationRequest } from '../../src/generated/ocpp-types.js';
import {
  TransitionCoverage,
  checkProjection,
  formatCoverage,
  mergeCoverage,
  transitionTours,
  type MachineCoverage,
} from '../../src/testing/index.js';
import { inSeconds } from '../integration/reservations-helpers.js';
import type { Harness } from '../integration/station-harness.js';
import { settle, startTxHarness, TOKEN } from '../integration/transactions-helpers.js';
import { publishCoverage } from './coverage-sink.js';
import { reportingProjection, type ReportingEvent } from './reporting-projection.js';

const paths = transitionTours<ReportingEvent>(reportingProjection, { maxSteps: 8 });
const reports: MachineCoverage[] = [];
after(() => publishCoverage('reporting', mergeCoverage(reports)));

/** What the CSMS must have received for connector 1/1 in each step, from the spec. */
const EXPECTED: Record<ReportingEvent['type'], string[]> = {
  PLUG_REFUSED: ['Occupied'],
  RESERVE_REFUSED: ['Reserved'],
  UNPLUG: [], // overridden below when the CSMS knew Occupied
  CANCEL_RESERVATION: [],
  EVSE_INOPERATIVE: ['Unavailable'],
  EVSE_OPERATIVE: ['Occupied'],
  RECONNECT: [], // B04.FR.01: every status again (filled in from the state)
  RESTART: ['Available'],
};

function expectedStatuses(event: ReportingEvent['type'], from: string, to: string): string[] {
  if (event === 'UNPLUG') return from === 'occupied' ? ['Available'] : [];
  if (event === 'RECONNECT') return [to === 'occupied' ? 'Occupied' : 'Available'];
  return EXPECTED[event];
}

describe('StatusNotification reporting: projection paths (xstate/graph) on the real runtime', () => {
  test('the projection names every transition of the report region', () => {
    const { unnamed, unknown, silent } = checkProjection(connectorMachine, reportingProjection);
    assert.deepEqual(
      unnamed.filter((k) => k.startsWith('connector.report')),
      [],
    );
    assert.deepEqual(
      unknown.filter((k) => k.startsWith('connector')),
      [],
    );
    assert.deepEqual(silent, []);
  });

  describe('paths', { concurrency: 4 }, () => {
    for (const [i, path] of paths.entries()) {
      test(`[${i + 1}] ${path.name}`, { timeout: 60_000 }, async (t) => {
        const coverage = new TransitionCoverage([connectorMachine, evseMachine]);
        const h = await startTxHarness({
          identity: `MBT-REP-${i + 1}`,
          // B04.FR.01: any time offline counts as longer than the threshold.
          set: ['OCPPCommCtrlr.OfflineThreshold=0'],
          station: { inspect: coverage.inspect },
        });
        t.after(() => h.close());
        await settle(h);
        let refuse = false;
        h.csms.onCall('StatusNotification', () => {
          if (!refuse) return {};
          refuse = false;
          throw createRPCError('InternalError', 'the model says so');
        });
        let state = 'available';
        for (const [n, step] of path.steps.entries()) {
          const where = `step ${n + 1} (${step.event.type} in ${state})`;
          const from = h.csms.calls.length;
          const mark = coverage.mark();
          await perform(h, step.event.type, () => (refuse = true));
          await coverage.waitForFired(mark, step.fires).catch((e: Error) => {
            throw new Error(`${where}: ${e.message}`);
          });
          await settle(h);
          const seen = h.csms.calls
            .slice(from)
            .filter((c) => c.identity === h.identity && c.action === 'StatusNotification')
            .map((c) => c.payload as StatusNotificationRequest)
            .filter((p) => p.evseId === 1 && p.connectorId === 1)
            .map((p) => p.connectorStatus);
          const next = String(step.value);
          assert.deepEqual(
            seen,
            expectedStatuses(step.event.type, state, next),
            `${where}: StatusNotifications`,
          );
          state = next;
        }
        assert.deepEqual(h.csms.validationFailures, []);
        coverage.countPaths('connector');
        reports.push(...coverage.report());
      });
    }
  });

  test('coverage of the paths run', (t) => {
    for (const line of formatCoverage(mergeCoverage(reports)).split('\n')) t.diagnostic(line);
  });
});

async function perform(h: Harness, event: ReportingEvent['type'], refuseNext: () => void): Promise<void> {
  const { station, csms, identity } = h;
  switch (event) {
    case 'PLUG_REFUSED':
      refuseNext();
      return station.onSessionStarted(1, 1);
    case 'RESERVE_REFUSED':
      refuseNext();
      assert.deepEqual(
        await csms.call(identity, 'ReserveNow', {
          id: 1,
          expiryDateTime: inSeconds(3600),
          idToken: TOKEN,
          evseId: 1,
        }),
        { status: 'Accepted' },
      );
      return;
    case 'UNPLUG':
      return station.onSessionFinished(1, 1);
    case 'CANCEL_RESERVATION':
      assert.deepEqual(await csms.call(identity, 'CancelReservation', { reservationId: 1 }), {
        status: 'Accepted',
      });
      return;
    case 'EVSE_INOPERATIVE':
    case 'EVSE_OPERATIVE':
      assert.deepEqual(
        await csms.call(identity, 'ChangeAvailability', {
          operationalStatus: event === 'EVSE_OPERATIVE' ? 'Operative' : 'Inoperative',
          evse: { id: 1 },
        }),
        { status: 'Accepted' },
      );
      return;
    case 'RECONNECT': {
      const client = csms.clients.get(identity);
      assert.ok(client);
      await client.close({ code: 1000, force: true });
      return;
    }
    case 'RESTART':
      await h.restart();
      return;
  }
}
