/**
 * The digest of a fresh EVSE's initial snapshot (src/runtime/initial-evse-digest.ts): computed once
 * per machine and EVSE context, and equal to the digest of the actor's own persisted snapshot; an
 * EVSE of another context (another EVSE, an inoperative one) gets its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor } from 'xstate';
import { evseMachine } from '../../machines/evse.js';
import { evseSnapshotKey } from '../../src/runtime/evse-snapshot-key.js';
import { initialEvseDigest } from '../../src/runtime/initial-evse-digest.js';
import { textDigest } from '../../src/store/text-digest.js';
import { TX_SETTINGS } from '../machines/tx-settings-fixture.js';

const digest = (persisted: unknown) => textDigest(evseSnapshotKey(persisted));

function fresh(input: { evseId: number; evseOperative?: boolean }) {
  const actor = createActor(evseMachine, { input: { connectorIds: [1, 2], txSettings: TX_SETTINGS, ...input } });
  actor.start();
  return actor;
}

test('EVSEs created with the same context share one digest, computed once and equal to their own', () => {
  let computed = 0;
  const counted = (persisted: unknown) => {
    computed++;
    return digest(persisted);
  };
  const evses = [fresh({ evseId: 1 }), fresh({ evseId: 1 }), fresh({ evseId: 1 })];
  const digests = evses.map((actor) => initialEvseDigest(actor, counted));
  assert.equal(computed, 1);
  for (const [i, actor] of evses.entries()) assert.equal(digests[i], digest(actor.getPersistedSnapshot()));

  // Another context: a digest of its own, again its actor's.
  for (const other of [fresh({ evseId: 2 }), fresh({ evseId: 1, evseOperative: false })]) {
    const before: number = computed;
    const own = initialEvseDigest(other, counted);
    assert.equal(computed, before + 1);
    assert.equal(own, digest(other.getPersistedSnapshot()));
    assert.notEqual(own, digests[0]);
  }
  for (const actor of evses) actor.stop();
});
