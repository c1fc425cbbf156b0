import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { NotifyReportRequest, ReportDataType } from '../../src/generated/ocpp-types.js';
import { splitNotifyReport } from '../../src/device-model/notify-report.js';
import { assertOcppValid, openExample } from './helpers.js';

const GENERATED_AT = '2025-01-31T12:00:00.000Z';

function entry(name: string, value = 'x'): ReportDataType {
  return {
    component: { name: 'Ctrlr' },
    variable: { name },
    variableAttribute: [{ type: 'Actual', mutability: 'ReadWrite', value }],
    variableCharacteristics: { dataType: 'string', supportsMonitoring: false },
  };
}

/** Bytes of the CALL frame the RPC layer will send for this payload (UUID message id). */
const frameBytes = (part: NotifyReportRequest): number =>
  Buffer.byteLength(JSON.stringify([2, randomUUID(), 'NotifyReport', part]));

test('no data: one message without reportData, seqNo 0, tbc false', () => {
  assert.deepEqual(splitNotifyReport([], { requestId: 3, generatedAt: GENERATED_AT, itemsPerMessage: 2 }), [
    { requestId: 3, generatedAt: GENERATED_AT, seqNo: 0, tbc: false },
  ]);
});

test('itemsPerMessage: full parts, seqNo 0.., tbc on all but the last, same requestId and generatedAt', () => {
  const data = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => entry(n));
  const parts = splitNotifyReport(data, { requestId: 42, generatedAt: GENERATED_AT, itemsPerMessage: 3 });
  assert.deepEqual(
    parts.map((p) => [p.seqNo, p.tbc, p.reportData?.map((d) => d.variable.name).join('')]),
    [
      [0, true, 'abc'],
      [1, true, 'def'],
      [2, false, 'g'],
    ],
  );
  assert.ok(parts.every((p) => p.requestId === 42 && p.generatedAt === GENERATED_AT));
  // Exactly a multiple: no empty trailing part.
  assert.equal(
    splitNotifyReport(data.slice(0, 6), { requestId: 1, generatedAt: GENERATED_AT, itemsPerMessage: 3 })
      .length,
    2,
  );
  assert.equal(splitNotifyReport(data, { requestId: 1, generatedAt: GENERATED_AT }).length, 1);
});

test('bytesPerMessage counts the whole CALL frame: a limit of exactly the frame size fits, one byte less splits', () => {
  const data = ['a', 'b', 'c', 'd'].map((n) => entry(n, 'ü'.repeat(20)));
  const [whole] = splitNotifyReport(data, { requestId: 1, generatedAt: GENERATED_AT });
  assert.ok(whole);
  // tbc:false is what the single message carries, so its frame size is exact.
  const exact = frameBytes(whole);
  assert.equal(
    splitNotifyReport(data, { requestId: 1, generatedAt: GENERATED_AT, bytesPerMessage: exact }).length,
    1,
  );
  const split = splitNotifyReport(data, {
    requestId: 1,
    generatedAt: GENERATED_AT,
    bytesPerMessage: exact - 1,
  });
  assert.equal(split.length, 2);
  assert.deepEqual(
    split.flatMap((p) => p.reportData ?? []),
    data,
  );
  for (const part of split) assert.ok(frameBytes(part) <= exact - 1);
});

test('an entry larger than bytesPerMessage is sent alone, never dropped', () => {
  const data = [entry('a'), entry('big', 'y'.repeat(1000)), entry('c')];
  const parts = splitNotifyReport(data, { requestId: 1, generatedAt: GENERATED_AT, bytesPerMessage: 400 });
  assert.deepEqual(
    parts.map((p) => p.reportData?.map((d) => d.variable.name)),
    [['a'], ['big'], ['c']],
  );
  assert.ok(frameBytes(parts[1] as NotifyReportRequest) > 400);
});

test('limits must be positive integers', () => {
  assert.throws(
    () => splitNotifyReport([], { requestId: 1, generatedAt: GENERATED_AT, itemsPerMessage: 0 }),
    /itemsPerMessage must be a positive integer, got 0/,
  );
  assert.throws(
    () => splitNotifyReport([], { requestId: 1, generatedAt: GENERATED_AT, bytesPerMessage: 1.5 }),
    RangeError,
  );
});

test('the example FullInventory under its 100-item/2048-byte limits: valid parts within both limits, nothing lost', async () => {
  const { model, store } = await openExample();
  const data = model.baseReport('FullInventory');
  const limits = model.reportLimits();
  const parts = splitNotifyReport(data, { requestId: 7, generatedAt: GENERATED_AT, ...limits });
  assert.ok(parts.length > 1);
  for (const part of parts) {
    await assertOcppValid('NotifyReportRequest', part);
    assert.ok((part.reportData?.length ?? 0) <= 100);
    assert.ok(frameBytes(part) <= 2048, `part ${part.seqNo} is ${frameBytes(part)} bytes`);
  }
  assert.deepEqual(
    parts.map((p) => p.seqNo),
    parts.map((_, i) => i),
  );
  assert.deepEqual(
    parts.map((p) => p.tbc),
    parts.map((_, i) => i < parts.length - 1),
  );
  assert.deepEqual(
    parts.flatMap((p) => p.reportData ?? []),
    data,
  );
  await store.close();
});
