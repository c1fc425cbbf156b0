import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialTransition, transition } from 'xstate';
import { effectiveConnectorOperative, effectiveEvseOperative, evseMachine } from '../../machines/evse.js';

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

test('availability.set stores the level it addresses', () => {
  let [s] = initialTransition(evseMachine, { evseId: 1, connectorIds: [1, 2] });
  [s] = transition(evseMachine, s, { type: 'availability.set', connectorId: 2, operative: false });
  assert.deepEqual(s.context.connectorOperative, { '2': false });
  assert.equal(s.context.evseOperative, true);
  [s] = transition(evseMachine, s, { type: 'availability.set', operative: false });
  assert.equal(s.context.evseOperative, false);
});

test('the EVSE reports its own effective change once', () => {
  let [s] = initialTransition(evseMachine, { evseId: 3, connectorIds: [1] });
  let actions;
  [s, actions] = transition(evseMachine, s, { type: 'availability.station', operative: false });
  assert.equal(actions.filter((a) => a.type === 'operativeChanged').length, 1);
  [s, actions] = transition(evseMachine, s, { type: 'availability.set', operative: false });
  assert.equal(
    actions.filter((a) => a.type === 'operativeChanged').length,
    0,
    'already inoperative through the station',
  );
});

test('availability.set for a connector the EVSE does not have changes nothing', () => {
  const [s0] = initialTransition(evseMachine, { evseId: 1, connectorIds: [1] });
  const [s1, actions] = transition(evseMachine, s0, {
    type: 'availability.set',
    connectorId: 7,
    operative: false,
  });
  assert.deepEqual(s1.context.connectorOperative, {});
  assert.deepEqual(actions, []);
  const [s2] = transition(evseMachine, s1, { type: 'availability.set', connectorId: 0, operative: false });
  assert.equal(s2.context.evseOperative, false, 'connector 0 is the EVSE itself');
});

test('effectiveEvseOperative needs both the station and the EVSE Operative', () => {
  assert.equal(effectiveEvseOperative({ stationOperative: true, evseOperative: true }), true);
  assert.equal(effectiveEvseOperative({ stationOperative: false, evseOperative: true }), false);
  assert.equal(effectiveEvseOperative({ stationOperative: true, evseOperative: false }), false);
});
