/** The running station's reactions to device-model changes (src/runtime/settings-reactions.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StationEvent } from '../../machines/station.js';
import type { DeviceModelChange } from '../../src/device-model/device-model.js';
import { reactToSettings } from '../../src/runtime/settings-reactions.js';
import { isTxSetting, TX_VARIABLES } from '../../src/runtime/tx-settings.js';
import type { TxSettings } from '../../machines/transaction-rules.js';

function harness(heartbeatIntervalS?: () => number | undefined) {
  let listener: ((change: DeviceModelChange) => void) | undefined;
  const sent: StationEvent[] = [];
  let reads = 0;
  let aligned = 0;
  reactToSettings({
    deviceModel: {
      onChange: (l) => {
        listener = l;
        return () => undefined;
      },
    },
    evses: [
      { id: 1, connectors: [{ id: 1 }] },
      { id: 2, connectors: [{ id: 1 }] },
    ],
    send: (event) => sent.push(event),
    txSettings: () => {
      reads++;
      return { '1': { control: 'library' } as TxSettings, '2': { control: 'library' } as TxSettings };
    },
    alignedSettingsChanged: () => aligned++,
    ...(heartbeatIntervalS ? { heartbeatIntervalS } : {}),
  });
  const change = (
    component: string,
    variable: string,
    value: string,
    extra: Partial<DeviceModelChange['ref']> = {},
  ) =>
    listener!({
      ref: { component, variable, ...extra },
      value,
      previous: undefined,
      source: 'csms',
      rebootRequired: false,
    });
  return { sent, change, reads: () => reads, aligned: () => aligned };
}

test('a transaction setting goes to every EVSE; a ConnectorType too (fixed cable)', () => {
  const h = harness();
  h.change('TxCtrlr', 'TxStartPoint', 'Authorized');
  assert.deepEqual(
    h.sent.map((e) => [e.type, (e as { evseId?: number }).evseId]),
    [
      ['tx.settings', 1],
      ['tx.settings', 2],
    ],
  );
  h.change('Connector', 'ConnectorType', 'cType2', { evseId: 2, connectorId: 1 });
  assert.equal(h.sent.length, 4);
  assert.equal(h.reads(), 2);
});

test('a boot write of HeartbeatInterval reaches the charts that use it without re-reading the transaction settings', async () => {
  const h = harness();
  h.change('OCPPCommCtrlr', 'HeartbeatInterval', '3600');
  await Promise.resolve(); // compared once the writer's transition is done
  assert.deepEqual(h.sent, [{ type: 'settings.heartbeatInterval', seconds: 3600 }]);
  assert.equal(h.reads(), 0);
  // Another variable of a transaction component that the settings do not read: nothing.
  h.change('SampledDataCtrlr', 'TxStartedMeasurands', 'Energy.Active.Import.Register');
  assert.equal(h.sent.length, 1);
});

test('an AlignedDataCtrlr change re-plans the aligned meter values and re-reads the settings it feeds', () => {
  const h = harness();
  h.change('AlignedDataCtrlr', 'Interval', '900');
  assert.equal(h.aligned(), 1);
  assert.equal(h.sent.filter((e) => e.type === 'tx.settings').length, 2);
});

test('isTxSetting: every variable the transaction settings read, nothing else', () => {
  for (const ref of Object.values(TX_VARIABLES))
    assert.ok(isTxSetting(ref), `${ref.component}.${ref.variable}`);
  assert.ok(isTxSetting({ component: 'Connector', variable: 'ConnectorType' }));
  assert.equal(isTxSetting({ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }), false);
  assert.equal(isTxSetting({ component: 'EVSE', variable: 'AvailabilityState' }), false);
});

test('B01.FR.04: the interval the boot chart stored itself is not echoed back to it; a different one is sent', async () => {
  let running = 1800;
  const h = harness(() => running);
  // The boot chart adopted the BootNotificationResponse's interval and wrote it (issue 9: no echo).
  // The device model tells the write at once, inside the chart's transition, before the chart's
  // context holds the interval: the reaction compares once that transition is done.
  h.change('OCPPCommCtrlr', 'HeartbeatInterval', '300');
  running = 300;
  await Promise.resolve();
  assert.deepEqual(h.sent, []);
  // A SetVariables from the CSMS to another value reaches the chart.
  h.change('OCPPCommCtrlr', 'HeartbeatInterval', '60');
  await Promise.resolve();
  assert.deepEqual(h.sent, [{ type: 'settings.heartbeatInterval', seconds: 60 }]);
  running = 60;
  h.change('OCPPCommCtrlr', 'OfflineThreshold', '60');
  assert.deepEqual(h.sent.at(-1), { type: 'settings.offlineThreshold', seconds: 60 });
});
