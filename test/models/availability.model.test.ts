/**
 * Model-based tests of connector status and EVSE availability (G01–G04, H01/H02 as far as the
 * status goes): paths from xstate/graph over the projection in availability-projection.ts, each run
 * on a real station (ChargePoint, SQLite file, strict test CSMS over a websocket). After every step
 * the production transitions the projection names must have fired in the runtime (inspection
 * stream) and the CSMS must have been told the status the spec says, and nothing else about it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
import {
  INITIAL_FACTS,
  UNREACHABLE,
  availabilityProjection,
  firesFor,
  statusOf,
  type AvailabilityEvent,
  type Facts,
} from './availability-projection.js';
import { publishCoverage } from './coverage-sink.js';

const MACHINES = [connectorMachine, evseMachine, reservationMachine];
const paths = transitionTours<AvailabilityEvent>(availabilityProjection, { maxSteps: 14, maxPaths: 40 });
const reports: MachineCoverage[] = [];

after(() => {
  const merged = mergeCoverage(reports);
  publishCoverage('availability', merged);
});

/** StatusNotifications of EVSE 1 / connector 1 the CSMS received from index `from` of its log. */
function statusesSince(h: Harness, from: number): string[] {
  return h.csms.calls
    .slice(from)
    .filter((c) => c.identity === h.identity && c.action === 'StatusNotification')
    .map((c) => c.payload as StatusNotificationRequest)
    .filter((p) => p.evseId === 1 && p.connectorId === 1)
    .map((p) => p.connectorStatus);
}

async function perform(h: Harness, event: AvailabilityEvent['type'], reservationId: number): Promise<void> {
  const { station, csms, identity } = h;
  const availability = async (operationalStatus: string, evse?: number) =>
    assert.deepEqual(
      await csms.call(identity, 'ChangeAvailability', {
        operationalStatus,
        ...(evse === undefined ? {} : { evse: { id: evse } }),
      }),
      { status: 'Accepted' },
    );
  switch (event) {
    case 'PLUG':
      return station.onSessionStarted(1, 1);
    case 'UNPLUG':
      return station.onSessionFinished(1, 1);
    case 'FAULT':
      return station.onFaulted(1, 1);
    case 'CLEAR_FAULT':
      return station.onFaultCleared(1, 1);
    case 'EVSE_INOPERATIVE':
      return availability('Inoperative', 1);
    case 'EVSE_OPERATIVE':
      return availability('Operative', 1);
    case 'STATION_INOPERATIVE':
      return availability('Inoperative');
    case 'STATION_OPERATIVE':
      return availability('Operative');
    case 'RESERVE':
      assert.deepEqual(
        await csms.call(identity, 'ReserveNow', {
          id: reservationId,
          expiryDateTime: inSeconds(3600),
          idToken: TOKEN,
          evseId: 1,
        }),
        { status: 'Accepted' },
      );
      return;
    case 'CANCEL_RESERVATION':
      assert.deepEqual(await csms.call(identity, 'CancelReservation', { reservationId }), {
        status: 'Accepted',
      });
      return;
  }
}

describe('connector status and EVSE availability: projection paths (xstate/graph) on the real runtime', () => {
  test('the projection names every transition of the connector chart (the unreachable ones with a reason)', () => {
    const problems = checkProjection(connectorMachine, availabilityProjection, UNREACHABLE);
    // The report region's failure handling and resync are the reporting model's (reporting.model.test.ts).
    const elsewhere = (k: string) =>
      k.startsWith('connector.report') || k.includes('--link-->') || k.includes('resumed');
    assert.deepEqual(
      problems.unknown.filter((k) => !k.startsWith('evse') && !k.startsWith('reservation')),
      [],
    );
    assert.deepEqual(
      problems.unnamed.filter((k) => !elsewhere(k)),
      [],
    );
    assert.deepEqual(problems.silent, []);
    assert.deepEqual(problems.contradictory, []);
  });

  describe('paths', { concurrency: 4 }, () => {
    for (const [i, path] of paths.entries()) {
      test(`[${i + 1}] ${path.name}`, async (t) => {
        const coverage = new TransitionCoverage(MACHINES);
        const h = await startTxHarness({
          identity: `MBT-AV-${i + 1}`,
          station: { inspect: coverage.inspect },
        });
        t.after(() => h.close());
        await settle(h);
        let facts: Facts = { ...INITIAL_FACTS };
        let reservationId = 0;
        for (const [n, step] of path.steps.entries()) {
          const where = `step ${n + 1} (${step.event.type})`;
          const expectedFires = firesFor(facts, step.event.type);
          if (step.event.type === 'RESERVE') reservationId += 1;
          const from = h.csms.calls.length;
          const mark = coverage.mark();
          const before = statusOf(facts);
          await perform(h, step.event.type, reservationId);
          facts = step.snapshot.context as Facts;
          await coverage.waitForFired(mark, expectedFires).catch((e: Error) => {
            throw new Error(`${where}: ${e.message}`);
          });
          await settle(h);
          const expected = statusOf(facts);
          // G01/B01.FR.?: the CSMS hears of every change of status, once, and of nothing else.
          assert.deepEqual(
            statusesSince(h, from),
            expected === before ? [] : [expected],
            `${where}: StatusNotifications`,
          );
          if (
            step.event.type !== 'CANCEL_RESERVATION' &&
            expectedFires.some((k) => k.includes('reservation.remove'))
          ) {
            // H01.FR.16/17: the CSMS is told the reservation was removed.
            const update = await h.csms.waitForCall(
              'ReservationStatusUpdate',
              (c) => c.identity === h.identity,
            );
            assert.deepEqual(update.payload, { reservationId, reservationUpdateStatus: 'Removed' });
          }
        }
        assert.deepEqual(h.csms.validationFailures, []);
        assert.deepEqual(h.errors.map(String), []);
        coverage.countPaths('connector');
        coverage.countPaths('evse');
        coverage.countPaths('reservation');
        reports.push(...coverage.report());
      });
    }
  });

  test('coverage of the paths run', (t) => {
    for (const line of formatCoverage(mergeCoverage(reports)).split('\n')) t.diagnostic(line);
  });
});
