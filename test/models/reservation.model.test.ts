/**
 * Model-based tests of a reservation's lifecycle (H01–H04): paths from xstate/graph over
 * reservation-projection.ts, each on a real station against the strict test CSMS. After every step
 * the named production transitions must have fired in the runtime, and the CSMS must have seen the
 * connector status (Reserved while reserved, H01.FR.23; Available after, H03.FR.10/H04.FR.02) and
 * the ReservationStatusUpdate of an expiry (H04.FR.01), and none for a cancel or a use.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRPCError } from 'ocpp-rpc';
import { connectorMachine } from '../../machines/connector.js';
import { evseMachine } from '../../machines/evse.js';
import { reservationMachine } from '../../machines/reservation.js';
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
import { reservationProjection, type ReservationModelEvent } from './reservation-projection.js';

const paths = transitionTours<ReservationModelEvent>(reservationProjection, { maxSteps: 8 });
const reports: MachineCoverage[] = [];
after(() => publishCoverage('reservation', mergeCoverage(reports)));

const RESERVATION_ID = 7;

async function reserve(h: Harness, seconds: number): Promise<void> {
  assert.deepEqual(
    await h.csms.call(h.identity, 'ReserveNow', {
      id: RESERVATION_ID,
      expiryDateTime: inSeconds(seconds),
      idToken: TOKEN,
      evseId: 1,
    }),
    { status: 'Accepted' },
  );
}

async function perform(h: Harness, event: ReservationModelEvent['type']): Promise<void> {
  switch (event) {
    case 'RESERVE':
    case 'RESERVE_SAME_ID':
      return reserve(h, 3600);
    case 'RESERVE_SHORT':
      return reserve(h, 1);
    case 'CANCEL':
      assert.deepEqual(
        await h.csms.call(h.identity, 'CancelReservation', { reservationId: RESERVATION_ID }),
        {
          status: 'Accepted',
        },
      );
      return;
    case 'TOKEN_PRESENTED':
      await h.station.onAuthorizationPresented(TOKEN, 1);
      return;
    case 'EXPIRES':
      return;
    case 'EXPIRES_UPDATE_REFUSED':
      h.csms.onCall('ReservationStatusUpdate', () => {
        throw createRPCError('InternalError', 'the model says so');
      });
      return;
  }
}

const statuses = (h: Harness, from: number) =>
  h.csms.calls
    .slice(from)
    .filter((c) => c.identity === h.identity && c.action === 'StatusNotification')
    .map((c) => c.payload as StatusNotificationRequest)
    .filter((p) => p.evseId === 1)
    .map((p) => p.connectorStatus);

describe('reservation: projection paths (xstate/graph) on the real runtime', () => {
  test('the projection names every transition of the reservation chart', () => {
    const problems = checkProjection(reservationMachine, reservationProjection);
    // remove (H01.FR.16/17) is the availability projection's.
    assert.deepEqual(problems.unnamed, ['reservation.active --reservation.remove--> reservation.notifying']);
    assert.deepEqual(
      problems.unknown.filter((k) => k.startsWith('reservation')),
      [],
    );
    assert.deepEqual(problems.silent, []);
  });

  describe('paths', { concurrency: 4 }, () => {
    for (const [i, path] of paths.entries()) {
      test(`[${i + 1}] ${path.name}`, { timeout: 60_000 }, async (t) => {
        const coverage = new TransitionCoverage([reservationMachine, evseMachine, connectorMachine]);
        const h = await startTxHarness({
          identity: `MBT-RES-${i + 1}`,
          station: { inspect: coverage.inspect },
        });
        t.after(() => h.close());
        await settle(h);
        let reserved = false;
        for (const [n, step] of path.steps.entries()) {
          const where = `step ${n + 1} (${step.event.type})`;
          const from = h.csms.calls.length;
          const mark = coverage.mark();
          await perform(h, step.event.type);
          await coverage.waitForFired(mark, step.fires).catch((e: Error) => {
            throw new Error(`${where}: ${e.message}`);
          });
          await settle(h);
          const nowReserved = step.value === 'reserved' || step.value === 'expiring';
          const seen = statuses(h, from);
          if (nowReserved !== reserved)
            assert.deepEqual(seen, [nowReserved ? 'Reserved' : 'Available'], where);
          else assert.deepEqual(seen, [], `${where}: no StatusNotification`);
          reserved = nowReserved;
          const updates = h.csms.calls.slice(from).filter((c) => c.action === 'ReservationStatusUpdate');
          if (step.event.type === 'EXPIRES' || step.event.type === 'EXPIRES_UPDATE_REFUSED')
            assert.deepEqual(
              updates.map((c) => c.payload),
              [{ reservationId: RESERVATION_ID, reservationUpdateStatus: 'Expired' }],
              `${where}: H04.FR.01`,
            );
          else assert.deepEqual(updates, [], `${where}: H02.FR.02, H03: no ReservationStatusUpdate`);
        }
        assert.deepEqual(h.csms.validationFailures, []);
        coverage.countPaths('reservation');
        reports.push(...coverage.report());
      });
    }
  });

  test('coverage of the paths run', (t) => {
    for (const line of formatCoverage(mergeCoverage(reports)).split('\n')) t.diagnostic(line);
  });
});
