/**
 * What the station reports about its device model must be readable by a CSMS: every value valid for
 * its variable's dataType and valuesList (found with CitrineOS: 57 attributes of a FullInventory
 * carried "" as an integer, boolean, decimal, dateTime or list), and derived values true. The
 * checker below is written from Part 2 §2.1.4 and §2.52 (DataEnumType), independent of the station's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  BootNotificationRequest,
  GetVariableDataType,
  GetVariablesResponse,
  NotifyReportRequest,
  ReportDataType,
  VariableCharacteristicsType,
} from '../../src/generated/ocpp-types.js';
import { callFrameBytes, registered } from './csms-helpers.js';
import { startHarness, type Harness } from './station-harness.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Why `value` is not a value of the variable's dataType, or undefined when it is one. */
function invalidFor(value: string, c: VariableCharacteristicsType): string | undefined {
  const allowed = (c.valuesList ?? '').split(',').map((v) => v.trim());
  const entries = value === '' ? [] : value.split(',').map((v) => v.trim());
  const ok = (() => {
    switch (c.dataType) {
      case 'string':
        return true;
      case 'integer':
        return /^-?[0-9]+$/.test(value);
      case 'decimal':
        return /^-?[0-9]+(\.[0-9]+)?$/.test(value);
      case 'boolean':
        return value === 'true' || value === 'false';
      case 'dateTime':
        return RFC3339.test(value) && !Number.isNaN(Date.parse(value));
      case 'OptionList':
        return allowed.includes(value);
      case 'MemberList':
      case 'SequenceList':
        return entries.every((e) => allowed.includes(e));
    }
  })();
  return ok
    ? undefined
    : `${JSON.stringify(value)} is not a ${c.dataType}${c.valuesList ? ` of ${c.valuesList}` : ''}`;
}

const label = (d: { component: ReportDataType['component']; variable: ReportDataType['variable'] }) =>
  `${d.component.name}${d.component.evse ? `@${d.component.evse.id}${d.component.evse.connectorId ? `/${d.component.evse.connectorId}` : ''}` : ''}.${d.variable.name}${d.variable.instance ? `[${d.variable.instance}]` : ''}`;

/** The whole FullInventory, all NotifyReport parts of one request. */
async function fullInventory(h: Harness): Promise<ReportDataType[]> {
  const answer = (await h.csms.call(h.identity, 'GetBaseReport', {
    requestId: 42,
    reportBase: 'FullInventory',
  })) as { status: string };
  assert.equal(answer.status, 'Accepted');
  const data: ReportDataType[] = [];
  for (;;) {
    const part = (await h.csms.waitForCall('NotifyReport')).payload as NotifyReportRequest;
    assert.equal(part.requestId, 42);
    data.push(...(part.reportData ?? []));
    if (part.tbc !== true) return data;
  }
}

/** GetVariables of `items`, in requests within ItemsPerMessage and BytesPerMessage[GetVariables]. */
async function getAll(h: Harness, items: GetVariableDataType[]) {
  const results: GetVariablesResponse['getVariableResult'][number][] = [];
  let batch: GetVariableDataType[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const response = (await h.csms.call(h.identity, 'GetVariables', {
      getVariableData: batch,
    })) as GetVariablesResponse;
    results.push(...response.getVariableResult);
    batch = [];
  };
  for (const item of items) {
    if (callFrameBytes('GetVariables', { getVariableData: [...batch, item] }) > 2048) await flush();
    batch.push(item);
  }
  await flush();
  return results;
}

test('B07.FR.08/11, B06.FR.10, TC_B_53_CS: every value of a FullInventory and of a GetVariables of every attribute is one of its dataType; derived values are true', async (t) => {
  const h = await startHarness({ identity: 'CS-DM-VALUES' });
  t.after(() => h.close());
  const boot = (await h.csms.waitForCall('BootNotification')).payload as BootNotificationRequest;
  await h.csms.waitForCall('StatusNotification');
  await h.csms.waitForCall('StatusNotification');

  const before = h.station.clock.nowMs();
  const data = await fullInventory(h);
  const after = h.station.clock.nowMs();
  const problems: string[] = [];
  let attributes = 0;
  for (const entry of data) {
    const characteristics = entry.variableCharacteristics;
    assert.ok(characteristics, label(entry));
    for (const attribute of entry.variableAttribute) {
      attributes += 1;
      const where = `${label(entry)}:${attribute.type ?? 'Actual'}`;
      if (attribute.mutability === 'WriteOnly') {
        if (attribute.value !== undefined) problems.push(`${where}: a WriteOnly value is reported`);
        continue;
      }
      if (attribute.value === undefined) {
        // TC_B_53_CS (errata 2025-09): the one exception is EVSE.Power, which only has a maxLimit.
        if (!(entry.variable.name === 'Power' && attribute.type === 'MaxSet'))
          problems.push(`${where}: no value`);
        continue;
      }
      const invalid = invalidFor(attribute.value, characteristics);
      if (invalid !== undefined) problems.push(`${where}: ${invalid}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(attributes > 250, `${attributes} attributes reported`);

  const actual = (name: string) =>
    data.find((d) => label(d) === name)?.variableAttribute.find((a) => (a.type ?? 'Actual') === 'Actual')
      ?.value;
  // ClockCtrlr.DateTime is the station clock when the report was made.
  const reportedTime = Date.parse(actual('ClockCtrlr.DateTime') ?? '');
  assert.ok(reportedTime >= before && reportedTime <= after, actual('ClockCtrlr.DateTime'));
  // ChargingStation.Model/VendorName: "as reported in BootNotification".
  assert.equal(actual('ChargingStation.Model'), boot.chargingStation.model);
  assert.equal(actual('ChargingStation.VendorName'), boot.chargingStation.vendorName);
  assert.equal(actual('InternalCtrlr.ChargePointId'), h.identity);
  assert.ok(
    data.some((d) => label(d) === 'ChargingStation.AllowNewSessionsPendingFirmwareUpdate'),
    'AllowNewSessionsPendingFirmwareUpdate has no instance',
  );

  // GetVariables of every attribute of every variable.
  const items: GetVariableDataType[] = data.flatMap((d) =>
    d.variableAttribute.map((a) => ({
      component: d.component,
      variable: d.variable,
      attributeType: a.type ?? 'Actual',
    })),
  );
  const getBefore = h.station.clock.nowMs();
  const results = await getAll(h, items);
  const getAfter = h.station.clock.nowMs();
  assert.equal(results.length, items.length);
  const wrong: string[] = [];
  results.forEach((result, i) => {
    const entry = data.find((d) => label(d) === label(result));
    const where = `${label(result)}:${result.attributeType ?? 'Actual'}`;
    const mutability =
      entry?.variableAttribute[items.slice(0, i).filter((x) => label(x) === label(result)).length]
        ?.mutability;
    if (mutability === 'WriteOnly') {
      if (result.attributeStatus !== 'Rejected' || result.attributeValue !== undefined)
        wrong.push(`${where}: WriteOnly answered ${result.attributeStatus}`);
      return;
    }
    if (result.attributeStatus !== 'Accepted') {
      wrong.push(`${where}: ${result.attributeStatus}`);
      return;
    }
    // B06.FR.13: an attribute without a value reads as "" (EVSE.Power MaxSet, as in the report).
    if (result.attributeValue === '' && result.variable.name === 'Power' && result.attributeType === 'MaxSet')
      return;
    const invalid = invalidFor(
      result.attributeValue ?? '',
      entry?.variableCharacteristics ?? { dataType: 'string', supportsMonitoring: false },
    );
    if (invalid !== undefined) wrong.push(`${where}: ${invalid}`);
  });
  assert.deepEqual(wrong, []);
  const dateTime = results.find((r) => label(r) === 'ClockCtrlr.DateTime')?.attributeValue ?? '';
  assert.ok(Date.parse(dateTime) >= getBefore && Date.parse(dateTime) <= getAfter, dateTime);
  assert.equal(
    results.find((r) => label(r) === 'ChargingStation.Model')?.attributeValue,
    boot.chargingStation.model,
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('derived values cannot be written by the CSMS (B05.FR.09: ReadOnly)', async (t) => {
  const h = await startHarness({ identity: 'CS-DM-DERIVED' });
  t.after(() => h.close());
  await registered(h);
  const response = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      { component: { name: 'ChargingStation' }, variable: { name: 'Model' }, attributeValue: 'Other' },
      {
        component: { name: 'ClockCtrlr' },
        variable: { name: 'DateTime' },
        attributeValue: '2020-01-01T00:00:00Z',
      },
      {
        component: { name: 'InternalCtrlr' },
        variable: { name: 'ChargePointId' },
        attributeValue: 'someone',
      },
    ],
  })) as {
    setVariableResult: Array<{ attributeStatus: string; attributeStatusInfo?: { reasonCode: string } }>;
  };
  assert.deepEqual(
    response.setVariableResult.map((r) => [r.attributeStatus, r.attributeStatusInfo?.reasonCode]),
    [
      ['Rejected', 'ReadOnly'],
      ['Rejected', 'ReadOnly'],
      ['Rejected', 'ReadOnly'],
    ],
  );
  assert.equal(
    h.station.deviceModel.get({ component: 'InternalCtrlr', variable: 'ChargePointId' }),
    h.identity,
  );
});
