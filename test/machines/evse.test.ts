import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialTransition, transition } from 'xstate';
import {
  effectiveConnectorOperative,
  effectiveEvseOperative,
  evseMachine,
  type AvailabilityReply,
} from '../../machines/evse.js';
import { TX_SETTINGS } from './tx-settings-fixture.js';

const change = (operative: boolean, connectorId?: number, replies: AvailabilityReply[] = []) => ({
  type: 'csms.changeAvailability' as const,
  operative,
  ...(connectorId === undefined ? {} : { connectorId }),
  reply: (status: AvailabilityReply) => void replies.push(status),
});

test('G03/G04: the effective connector status combines station, EVSE and connector settings', () => {
  const ctx = {
    evseId: 1,
    connectorIds: [1, 2],
    stationOperative: true,
    evseOperative: true,
    connectorOperative: { '2': false },
  };
  assert.equal(effectiveConnectorOperative(ctx, 1), true);
  assert.equal(effectiveConnectorOperative(ctx, 2), false);
  assert.equal(effectiveConnectorOperative({ ...ctx, stationOperative: false }, 1), false);
  assert.equal(effectiveConnectorOperative({ ...ctx, evseOperative: false }, 1), false);
});

test('G03: ChangeAvailability stores the level it addresses and is Accepted', () => {
  let [s] = initialTransition(evseMachine, { evseId: 1, connectorIds: [1, 2], txSettings: TX_SETTINGS });
  const [s1, actions] = transition(evseMachine, s, change(false, 2));
  s = s1;
  assert.deepEqual(s.context.connectorOperative, { '2': false });
  assert.equal(s.context.evseOperative, true);
  assert.deepEqual(
    actions.filter((a) => a.type === 'replyAvailability').map((a) => (a.params as { status: string }).status),
    ['Accepted'],
  );
  [s] = transition(evseMachine, s, change(false));
  assert.equal(s.context.evseOperative, false);
});

test('G03.FR.05: to Inoperative while a transaction runs is Scheduled and kept for its end', () => {
  let [s] = initialTransition(evseMachine, { evseId: 1, connectorIds: [1], txSettings: TX_SETTINGS });
  s = { ...s, context: { ...s.context, transactionActive: true, session: 'tx-1' } } as typeof s;
  const [s1, actions] = transition(evseMachine, s, change(false));
  s = s1;
  assert.equal(s.context.evseOperative, true, 'not applied yet');
  assert.deepEqual(s.context.scheduled, { evse: false, connectors: {} });
  assert.deepEqual(
    actions.filter((a) => a.type === 'replyAvailability').map((a) => (a.params as { status: string }).status),
    ['Scheduled'],
  );
  // Back to Operative before the transaction ended: nothing is left scheduled.
  [s] = transition(evseMachine, s, change(true));
  assert.deepEqual(s.context.scheduled, { connectors: {} });
});

test('the EVSE reports its own effective change once', () => {
  let [s] = initialTransition(evseMachine, { evseId: 3, connectorIds: [1], txSettings: TX_SETTINGS });
  let actions;
  [s, actions] = transition(evseMachine, s, { type: 'availability.station', operative: false });
  assert.equal(actions.filter((a) => a.type === 'operativeChanged').length, 1);
  [s, actions] = transition(evseMachine, s, change(false));
  assert.equal(
    actions.filter((a) => a.type === 'operativeChanged').length,
    0,
    'already inoperative through the station',
  );
});

test('ChangeAvailability for a connector the EVSE does not have is Rejected and changes nothing', () => {
  const [s0] = initialTransition(evseMachine, { evseId: 1, connectorIds: [1], txSettings: TX_SETTINGS });
  const [s1, actions] = transition(evseMachine, s0, change(false, 7));
  assert.deepEqual(s1.context.connectorOperative, {});
  assert.deepEqual(
    actions.map((a) => [a.type, (a.params as { status?: string } | undefined)?.status]),
    [['replyAvailability', 'Rejected']],
  );
  const [s2] = transition(evseMachine, s1, change(false, 0));
  assert.equal(s2.context.evseOperative, false, 'connector 0 is the EVSE itself');
});

test('effectiveEvseOperative needs both the station and the EVSE Operative', () => {
  assert.equal(effectiveEvseOperative({ stationOperative: true, evseOperative: true }), true);
  assert.equal(effectiveEvseOperative({ stationOperative: false, evseOperative: true }), false);
  assert.equal(effectiveEvseOperative({ stationOperative: true, evseOperative: false }), false);
});
