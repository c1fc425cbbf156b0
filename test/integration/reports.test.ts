/**
 * B07 GetBaseReport and B08 GetReport over the wire: the response, then the report as NotifyReport
 * parts (seqNo 0..n, tbc, requestId) within ItemsPerMessage/BytesPerMessage GetReport, against the
 * strict test CSMS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  GetBaseReportResponse,
  GetReportRequest,
  GetReportResponse,
  NotifyReportRequest,
  ReportDataType,
} from '../../src/generated/ocpp-types.js';
import { answerTo, callErrorCode, callFrameBytes, registered } from './csms-helpers.js';
import { startHarness, type Harness } from './station-harness.js';

/** Every NotifyReport part of one report, in arrival order, up to the one with tbc false. */
async function reportParts(h: Harness, requestId: number): Promise<NotifyReportRequest[]> {
  const parts: NotifyReportRequest[] = [];
  for (;;) {
    const call = await h.csms.waitForCall(
      'NotifyReport',
      (c) => (c.payload as NotifyReportRequest).requestId === requestId,
    );
    const part = call.payload as NotifyReportRequest;
    parts.push(part);
    if (!part.tbc) return parts;
  }
}

/** B07.FR.04/10, B08.FR.04/14: one requestId and generatedAt, seqNo 0..n, tbc on all but the last. */
function assertWellFormed(parts: NotifyReportRequest[], requestId: number): ReportDataType[] {
  assert.ok(parts.length > 0);
  parts.forEach((part, i) => {
    assert.equal(part.requestId, requestId);
    assert.equal(part.seqNo, i);
    assert.equal(part.tbc, i < parts.length - 1);
    assert.equal(part.generatedAt, parts[0]?.generatedAt);
  });
  return parts.flatMap((p) => p.reportData ?? []);
}

/** The names of the components a componentCriteria report lists. */
async function criteriaReport(
  h: Harness,
  requestId: number,
  componentCriteria: GetReportRequest['componentCriteria'],
): Promise<Set<string>> {
  const response = (await h.csms.call(h.identity, 'GetReport', {
    requestId,
    componentCriteria,
  })) as GetReportResponse;
  assert.equal(response.status, 'Accepted');
  return new Set(assertWellFormed(await reportParts(h, requestId), requestId).map((d) => d.component.name));
}

const key = (d: ReportDataType) =>
  JSON.stringify([
    d.component.name,
    d.component.instance,
    d.component.evse,
    d.variable.name,
    d.variable.instance,
  ]);

test('TC_B_12: ConfigurationInventory in NotifyReport parts of at most ItemsPerMessage[GetReport] entries (B07.FR.01/03/04/07/10)', async (t) => {
  const h = await startHarness({ set: ['DeviceDataCtrlr.ItemsPerMessage[GetReport]=5'] });
  t.after(() => h.close());
  await registered(h);
  const response = (await h.csms.call(h.identity, 'GetBaseReport', {
    requestId: 41,
    reportBase: 'ConfigurationInventory',
  })) as GetBaseReportResponse;
  assert.deepEqual(response, { status: 'Accepted' });
  const parts = await reportParts(h, 41);
  const data = assertWellFormed(parts, 41);
  assert.ok(parts.length > 2, 'the small ItemsPerMessage forces several parts');
  for (const part of parts) assert.ok((part.reportData?.length ?? 0) <= 5);
  assert.deepEqual(data.map(key), h.station.deviceModel.baseReport('ConfigurationInventory').map(key));
  // B07.FR.07: only what the operator can set; TC_B_12 checks every reported mutability.
  for (const entry of data) {
    for (const attribute of entry.variableAttribute) {
      assert.ok(attribute.mutability === 'ReadWrite' || attribute.mutability === 'WriteOnly', key(entry));
    }
    assert.ok(entry.variableCharacteristics, 'B08.FR.12: characteristics are reported');
  }
  const password = data.find((d) => d.variable.name === 'BasicAuthPassword');
  assert.equal(password?.variableAttribute[0]?.mutability, 'WriteOnly');
  assert.equal(password?.variableAttribute[0]?.value, undefined, 'a WriteOnly value is never reported');
  // The response went out before the first part (the report follows the GetBaseReportResponse).
  const inbound = h.csms.frames
    .filter((f) => f.direction === 'in')
    .map((f) => JSON.parse(f.text) as unknown[]);
  const responseAt = inbound.findIndex((m) => m[0] === 3 && 'status' in (m[2] as object));
  const firstPartAt = inbound.findIndex((m) => m[0] === 2 && m[2] === 'NotifyReport');
  assert.ok(responseAt >= 0 && responseAt < firstPartAt);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('TC_B_13: FullInventory reports every variable and attribute, each part within BytesPerMessage[GetReport] (B07.FR.08/11)', async (t) => {
  const h = await startHarness({ set: ['DeviceDataCtrlr.BytesPerMessage[GetReport]=1500'] });
  t.after(() => h.close());
  await registered(h);
  assert.deepEqual(
    await h.csms.call(h.identity, 'GetBaseReport', { requestId: 7, reportBase: 'FullInventory' }),
    { status: 'Accepted' },
  );
  const parts = await reportParts(h, 7);
  const data = assertWellFormed(parts, 7);
  const expected = h.station.deviceModel.baseReport('FullInventory');
  assert.deepEqual(data.map(key), expected.map(key));
  // B07.FR.11: all supported attribute types, even unset ones (EVSE.Power has Actual and MaxSet).
  const power = data.find((d) => d.component.name === 'EVSE' && d.variable.name === 'Power');
  assert.deepEqual(
    power?.variableAttribute.map((a) => a.type),
    ['Actual', 'MaxSet'],
  );
  const frames = h.csms.frames.filter((f) => f.direction === 'in' && f.text.includes('"NotifyReport"'));
  assert.equal(frames.length, parts.length);
  assert.ok(parts.length > 10, 'about 78 KB of report in parts of at most 1500 bytes');
  for (const frame of frames)
    assert.ok(Buffer.byteLength(frame.text) <= 1500, `${Buffer.byteLength(frame.text)} bytes`);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('TC_B_14: SummaryInventory reports the AvailabilityState of the station and of every EVSE (B07.FR.09)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  assert.deepEqual(
    await h.csms.call(h.identity, 'GetBaseReport', { requestId: 3, reportBase: 'SummaryInventory' }),
    { status: 'Accepted' },
  );
  const data = assertWellFormed(await reportParts(h, 3), 3);
  const states = data
    .filter((d) => d.variable.name === 'AvailabilityState')
    .map((d) => `${d.component.name}${d.component.evse ? `@${d.component.evse.id}` : ''}`);
  assert.deepEqual(states.filter((s) => !s.startsWith('Connector')).sort(), [
    'ChargingStation',
    'EVSE@1',
    'EVSE@2',
  ]);
  for (const entry of data)
    assert.deepEqual(
      entry.variableAttribute.map((a) => a.type),
      ['Actual'],
    );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('TC_B_17/54/55/56: GetReport by componentVariable reports exactly what was asked (B08.FR.03/04/10/11/15/20–25)', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const ask = async (requestId: number, request: Omit<GetReportRequest, 'requestId'>) => {
    const response = (await h.csms.call(h.identity, 'GetReport', {
      requestId,
      ...request,
    })) as GetReportResponse;
    assert.equal(response.status, 'Accepted');
    return assertWellFormed(await reportParts(h, requestId), requestId);
  };
  // B08.FR.20: no variable -> every variable of EVSE 1 (and, FR.22, its connector-level components: none named EVSE).
  const evse1 = await ask(1, { componentVariable: [{ component: { name: 'EVSE', evse: { id: 1 } } }] });
  assert.ok(evse1.length > 3);
  for (const entry of evse1) assert.deepEqual([entry.component.name, entry.component.evse?.id], ['EVSE', 1]);
  // B08.FR.23: no evse -> every EVSE.
  const power = await ask(2, {
    componentVariable: [{ component: { name: 'EVSE' }, variable: { name: 'Power' } }],
  });
  assert.deepEqual(
    power.map((d) => d.component.evse?.id),
    [1, 2],
  );
  // B08.FR.21: no variable instance -> every instance of the variable.
  const items = await ask(3, {
    componentVariable: [{ component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage' } }],
  });
  assert.deepEqual(items.map((d) => d.variable.instance).sort(), [
    'GetReport',
    'GetVariables',
    'SetVariables',
  ]);
  // With the instance: only that one (TC_B_55).
  const one = await ask(4, {
    componentVariable: [
      {
        component: { name: 'DeviceDataCtrlr' },
        variable: { name: 'ItemsPerMessage', instance: 'GetReport' },
      },
    ],
  });
  assert.deepEqual(
    one.map((d) => [d.variable.instance, d.variableAttribute[0]?.value]),
    [['GetReport', '100']],
  );
  // B08.FR.10/15: Problem matches only a Problem variable that is true; no component has one.
  const problem = (await h.csms.call(h.identity, 'GetReport', {
    requestId: 5,
    componentCriteria: ['Problem'],
  })) as GetReportResponse;
  assert.deepEqual(problem, { status: 'EmptyResultSet' });
  assert.deepEqual(h.csms.validationFailures, []);
});

test('TC_B_16/18/19: componentCriteria, EmptyResultSet and NotSupported; no NotifyReport unless Accepted (B08.FR.02/05/07–10/13/15)', async (t) => {
  // This station supports three criteria only (InternalCtrlr.SupportedCriteria, the libocpp convention).
  const h = await startHarness({ set: ['InternalCtrlr.SupportedCriteria=Enabled,Active,Available'] });
  t.after(() => h.close());
  await registered(h);
  const notSupported = (await h.csms.call(h.identity, 'GetReport', {
    requestId: 10,
    componentCriteria: ['Problem'],
  })) as GetReportResponse;
  assert.equal(notSupported.status, 'NotSupported');
  assert.equal(notSupported.statusInfo?.reasonCode, 'UnsupportedParam');
  assert.match(notSupported.statusInfo?.additionalInfo ?? '', /Problem/);
  // B08.FR.15: a criterion no component meets together with the listed component.
  const empty = (await h.csms.call(h.identity, 'GetReport', {
    requestId: 11,
    componentCriteria: ['Enabled'],
    componentVariable: [{ component: { name: 'NoSuchCtrlr' } }],
  })) as GetReportResponse;
  assert.deepEqual(empty, { status: 'EmptyResultSet' });
  // B08.FR.05: both given -> both hold: OCPPCommCtrlr is Enabled (Enabled=true).
  const both = (await h.csms.call(h.identity, 'GetReport', {
    requestId: 12,
    componentCriteria: ['Enabled'],
    componentVariable: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
  })) as GetReportResponse;
  assert.equal(both.status, 'Accepted');
  const data = assertWellFormed(await reportParts(h, 12), 12);
  assert.deepEqual(
    data.map((d) => [d.component.name, d.variable.name]),
    [['OCPPCommCtrlr', 'HeartbeatInterval']],
  );
  // Messages leave in order: a part of report 10 or 11 would have arrived before report 12's.
  const reported = h.csms.calls.filter((c) => c.action === 'NotifyReport');
  assert.deepEqual(new Set(reported.map((c) => (c.payload as NotifyReportRequest).requestId)), new Set([12]));

  // B08.FR.09: components with Enabled true or without an Enabled variable; SecurityCtrlr's is false.
  const enabled = await criteriaReport(h, 13, ['Enabled']);
  assert.ok(enabled.has('OCPPCommCtrlr') && enabled.has('EVSE'));
  assert.ok(!enabled.has('SecurityCtrlr'));
  // B08.FR.08/13 (OR): SecurityCtrlr has no Available variable, so it meets Available.
  const either = await criteriaReport(h, 14, ['Enabled', 'Available']);
  assert.ok(either.has('SecurityCtrlr'));
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B08.FR.17/18: a GetReport over ItemsPerMessage or BytesPerMessage[GetReport] is refused with a CALLERROR', async (t) => {
  const listed = [{ component: { name: 'OCPPCommCtrlr' } }, { component: { name: 'SecurityCtrlr' } }];
  const bytes = callFrameBytes('GetReport', { requestId: 1, componentVariable: listed });
  const h = await startHarness({
    set: [
      'DeviceDataCtrlr.ItemsPerMessage[GetReport]=2',
      `DeviceDataCtrlr.BytesPerMessage[GetReport]=${bytes}`,
    ],
  });
  t.after(() => h.close());
  await registered(h);
  const three = [...listed, { component: { name: 'DeviceDataCtrlr' } }];
  assert.equal(
    await callErrorCode(h.csms.call(h.identity, 'GetReport', { requestId: 1, componentVariable: three })),
    'OccurrenceConstraintViolation',
  );
  // Two entries but one byte more than allowed (a requestId with one more digit).
  assert.equal(
    await callErrorCode(h.csms.call(h.identity, 'GetReport', { requestId: 10, componentVariable: listed })),
    'FormatViolation',
  );
  assert.equal(answerTo(h.csms, h.identity, 'GetReport')[2], 'FormatViolation');
  const accepted = (await h.csms.call(h.identity, 'GetReport', {
    requestId: 1,
    componentVariable: listed,
  })) as GetReportResponse;
  assert.equal(accepted.status, 'Accepted');
  assertWellFormed(await reportParts(h, 1), 1);
  // Only the accepted request produced a report.
  assert.deepEqual(
    new Set(
      h.csms.calls
        .filter((c) => c.action === 'NotifyReport')
        .map((c) => (c.payload as NotifyReportRequest).requestId),
    ),
    new Set([1]),
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('B02.FR.02: while Pending, GetBaseReport is answered and its NotifyReports are sent', async (t) => {
  const h = await startHarness({
    csms: { boot: { bootStatus: 'Pending' } },
    set: ['DeviceDataCtrlr.ItemsPerMessage[GetReport]=50'],
  });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  const response = (await h.csms.call(h.identity, 'GetBaseReport', {
    requestId: 5,
    reportBase: 'FullInventory',
  })) as GetBaseReportResponse;
  assert.deepEqual(response, { status: 'Accepted' });
  const data = assertWellFormed(await reportParts(h, 5), 5);
  assert.equal(data.length, h.station.deviceModel.baseReport('FullInventory').length);
  assert.equal(h.station.registrationStatus, 'Pending');
  // Only triggered messages pass while Pending (B02.FR.02): no StatusNotification went out.
  assert.deepEqual([...new Set(h.csms.calls.map((c) => c.action))].sort(), [
    'BootNotification',
    'NotifyReport',
  ]);
  assert.deepEqual(h.csms.validationFailures, []);
});
