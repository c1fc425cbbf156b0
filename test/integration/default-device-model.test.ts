/**
 * The shipped default device model (no `deviceModel.configDir`) follows the station's `evses`: a
 * station with 1 EVSE, 3 EVSEs or an EVSE of two connectors starts, reports one StatusNotification
 * per connector, and its FullInventory (B07) lists exactly its EVSE and Connector components. A
 * config directory of the user's own that disagrees with `evses` is still refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  GetBaseReportResponse,
  NotifyReportRequest,
  ReportDataType,
  StatusNotificationRequest,
} from '../../src/generated/ocpp-types.js';
import type { EvseStructure } from '../../src/handlers/handler-context.js';
import { DeviceModelConfigError } from '../../src/device-model/errors.js';
import { copyExampleConfig } from './config-copy.js';
import { startHarness, type Harness } from './station-harness.js';

/** Every entry of one report's NotifyReport parts, up to the part with tbc false. */
async function fullInventory(h: Harness, requestId: number): Promise<ReportDataType[]> {
  const response = (await h.csms.call(h.identity, 'GetBaseReport', {
    requestId,
    reportBase: 'FullInventory',
  })) as GetBaseReportResponse;
  assert.equal(response.status, 'Accepted');
  const data: ReportDataType[] = [];
  for (;;) {
    const call = await h.csms.waitForCall(
      'NotifyReport',
      (c) => (c.payload as NotifyReportRequest).requestId === requestId,
    );
    const part = call.payload as NotifyReportRequest;
    data.push(...(part.reportData ?? []));
    if (!part.tbc) return data;
  }
}

/** `EVSE@1`, `Connector@1/2`, ... of the EVSE-level components a report names, sorted. */
function evseComponents(data: readonly ReportDataType[]): string[] {
  const names = new Set<string>();
  for (const { component } of data) {
    if (component.evse === undefined) continue;
    const connector = component.evse.connectorId === undefined ? '' : `/${component.evse.connectorId}`;
    names.add(`${component.name}@${component.evse.id}${connector}`);
  }
  return [...names].sort();
}

/** What the structure should give: one EVSE component per EVSE, one Connector per connector. */
function expectedComponents(evses: readonly EvseStructure[]): string[] {
  return evses
    .flatMap((evse) => [`EVSE@${evse.id}`, ...evse.connectors.map((c) => `Connector@${evse.id}/${c.id}`)])
    .sort();
}

const STRUCTURES: Array<[string, EvseStructure[]]> = [
  ['1 EVSE, 1 connector', [{ id: 1, connectors: [{ id: 1 }] }]],
  ['3 EVSEs', [1, 2, 3].map((id) => ({ id, connectors: [{ id: 1 }] }))],
  ['an EVSE with 2 connectors', [{ id: 1, connectors: [{ id: 1 }, { id: 2 }] }]],
];

for (const [label, evses] of STRUCTURES) {
  test(`default device model, ${label}: starts, reports every connector and exactly its EVSE/Connector components`, async (t) => {
    const h = await startHarness({ station: { evses } });
    t.after(() => h.close());
    await h.csms.waitForCall('BootNotification');
    const connectorCount = evses.reduce((n, evse) => n + evse.connectors.length, 0);
    const statuses: string[] = [];
    for (let i = 0; i < connectorCount; i++) {
      const { evseId, connectorId } = (await h.csms.waitForCall('StatusNotification'))
        .payload as StatusNotificationRequest;
      statuses.push(`Connector@${evseId}/${connectorId}`);
    }
    assert.deepEqual(
      statuses.sort(),
      expectedComponents(evses).filter((c) => c.startsWith('Connector')),
    );

    const report = await fullInventory(h, 7);
    assert.deepEqual(evseComponents(report), expectedComponents(evses));
    // The device model API agrees with the report.
    const model = h.station.deviceModel;
    for (const evse of evses) {
      assert.equal(model.get({ component: 'EVSE', evseId: evse.id, variable: 'SupplyPhases' }), '3');
      for (const connector of evse.connectors) {
        assert.ok(
          model.has({
            component: 'Connector',
            evseId: evse.id,
            connectorId: connector.id,
            variable: 'ConnectorType',
          }),
        );
      }
    }
    const beyond = evses.length + 1;
    assert.equal(model.has({ component: 'EVSE', evseId: beyond, variable: 'SupplyPhases' }), false);
  });
}

test("a config directory of the user's own that describes EVSEs the station lacks is still refused", async (t) => {
  const configDir = await copyExampleConfig(); // 2 EVSEs, as a user's own directory
  t.after(() => rm(path.dirname(configDir), { recursive: true, force: true }));
  const h = await startHarness({
    noStart: true,
    station: { evses: [{ id: 1, connectors: [{ id: 1 }] }], deviceModel: { configDir } },
  });
  t.after(() => h.close());
  await assert.rejects(h.station.start(), (error: unknown) => {
    assert.ok(error instanceof DeviceModelConfigError);
    assert.match(error.message, /EVSE_2\.json: EVSE@2: EVSE 2 is not in the station's EVSE structure/);
    assert.match(
      error.message,
      /Connector_2_1\.json: Connector@2\/1: EVSE 2 is not in the station's EVSE structure/,
    );
    return true;
  });
});
