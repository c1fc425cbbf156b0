/**
 * The key EVSE snapshots are compared by (src/runtime/evse-snapshot-key.ts): the connectors' report
 * state is left out, everything else counts; and the events after which the EVSE is not even
 * serialized (StationPersistence's REPORT_ONLY_EVENTS) change no EVSE state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialTransition, transition } from 'xstate';
import { evseMachine, type EvseEvent } from '../../machines/evse.js';
import { connectorMachine } from '../../machines/connector.js';
import { evseSnapshotKey } from '../../src/runtime/evse-snapshot-key.js';
import { REPORT_ONLY_EVENTS } from '../../src/runtime/station-persistence.js';
import { TX_SETTINGS } from '../machines/tx-settings-fixture.js';

/** A persisted EVSE snapshot with one connector, shaped as xstate's getPersistedSnapshot() gives it. */
function evse(connector: { canSend: boolean; reported: string | null; report: string; plugged?: boolean }) {
  return {
    status: 'active',
    value: { availability: 'operative' },
    context: { evseId: 1, connectorIds: [1], transactionActive: false },
    children: {
      'connector:1:1': {
        src: 'connector',
        systemId: 'connector:1:1',
        snapshot: {
          status: 'active',
          value: {
            facts: 'tracking',
            status: connector.plugged ? 'Occupied' : 'Available',
            report: connector.report,
          },
          context: {
            evseId: 1,
            connectorId: 1,
            plugged: connector.plugged ?? false,
            faulted: false,
            operative: true,
            reserved: false,
            canSend: connector.canSend,
            reported: connector.reported,
          },
          children:
            connector.report === 'sending'
              ? {
                  '0.connector.report.sending': { src: 'statusNotification', snapshot: { status: 'active' } },
                }
              : {},
        },
      },
    },
  };
}

test('B01.FR.08: linking a connector (canSend) does not change the key', () => {
  assert.equal(
    evseSnapshotKey(evse({ canSend: false, reported: null, report: 'idle' })),
    evseSnapshotKey(evse({ canSend: true, reported: null, report: 'sending' })),
  );
});

test('B01.FR.05: an answered StatusNotification (reported, back to idle) does not change the key', () => {
  assert.equal(
    evseSnapshotKey(evse({ canSend: true, reported: null, report: 'sending' })),
    evseSnapshotKey(evse({ canSend: true, reported: 'Available', report: 'idle' })),
  );
});

test('a connector fact (plugged) changes the key', () => {
  assert.notEqual(
    evseSnapshotKey(evse({ canSend: true, reported: 'Available', report: 'idle' })),
    evseSnapshotKey(evse({ canSend: true, reported: 'Available', report: 'idle', plugged: true })),
  );
});

test('the EVSE context and children other than connectors count', () => {
  const base = evse({ canSend: true, reported: 'Available', report: 'idle' });
  const changed = { ...base, context: { ...base.context, transactionActive: true } };
  assert.notEqual(evseSnapshotKey(base), evseSnapshotKey(changed));
  const withSession = {
    ...base,
    children: {
      ...base.children,
      transaction: { src: 'transaction', systemId: 'transaction:a', snapshot: { context: { seqNo: 1 } } },
    },
  };
  const nextSeqNo = {
    ...base,
    children: {
      ...base.children,
      transaction: { src: 'transaction', systemId: 'transaction:a', snapshot: { context: { seqNo: 2 } } },
    },
  };
  assert.notEqual(evseSnapshotKey(withSession), evseSnapshotKey(nextSeqNo));
});

test('the events StationPersistence does not serialize leave the EVSE state as it was (machines/evse.ts)', () => {
  const [s] = initialTransition(evseMachine, { evseId: 1, connectorIds: [1, 2], txSettings: TX_SETTINGS });
  const events: Record<string, EvseEvent> = {
    'status.resync': { type: 'status.resync' },
    'connector.facts': {
      type: 'connector.facts',
      connectorId: 1,
      operative: true,
      faulted: true,
      plugged: true,
    },
  };
  assert.deepEqual([...REPORT_ONLY_EVENTS].sort(), ['link', ...Object.keys(events)].sort());
  for (const event of Object.values(events)) {
    const [next] = transition(evseMachine, s, event);
    assert.deepEqual(next.context, s.context, event.type);
    assert.deepEqual(next.value, s.value, event.type);
  }
});

test('link goes to the connectors only (machines/station.ts) and changes only their report state', () => {
  const [s] = initialTransition(connectorMachine, { evseId: 1, connectorId: 1 });
  for (const canSend of [true, false]) {
    const [next] = transition(connectorMachine, s, { type: 'link', canSend });
    // canSend, the call in flight (callId, inFlight) and the report region are what
    // evseSnapshotKey leaves out.
    const { callId, inFlight } = s.context;
    assert.deepEqual({ ...next.context, canSend: s.context.canSend, callId, inFlight }, s.context);
    assert.deepEqual({ ...(next.value as object), report: (s.value as { report: unknown }).report }, s.value);
  }
});
