import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  MeasurandEnumType,
  MeterValueType,
  ReadingContextEnumType,
  SampledValueType,
} from '../../src/generated/ocpp-types.js';
import { meterValueFor } from '../../src/meter-values/index.js';
import { assertReportable } from './schema.js';

const T = '2025-01-01T10:00:00Z';
const signed = {
  signedMeterData: 'AAEC',
  signingMethod: 'ECDSA-secp256r1-SHA256',
  encodingMethod: 'SIM-JSON-1',
  publicKey: '',
};

/** What the host's meter measured: energy without measurand (the default), 3 phase currents, SoC. */
function hostReading(): MeterValueType {
  return {
    timestamp: T,
    sampledValue: [
      { value: 1520.5, unitOfMeasure: { unit: 'Wh' }, signedMeterValue: { ...signed } },
      { value: 16, measurand: 'Current.Import', phase: 'L1', unitOfMeasure: { unit: 'A' } },
      { value: 15.9, measurand: 'Current.Import', phase: 'L2', unitOfMeasure: { unit: 'A' } },
      { value: 16.1, measurand: 'Current.Import', phase: 'L3', unitOfMeasure: { unit: 'A' } },
      { value: 230, measurand: 'Voltage', location: 'Inlet', unitOfMeasure: { unit: 'V' } },
      { value: 55, measurand: 'SoC', location: 'EV', unitOfMeasure: { unit: 'Percent' } },
    ],
  };
}

/** [measurand or '-', phase or '-'] of each reported sampled value. */
const shape = (meterValue: MeterValueType | null) =>
  meterValue?.sampledValue.map((v: SampledValueType) => `${v.measurand ?? '-'}/${v.phase ?? '-'}`) ?? null;

const selections: [string, MeasurandEnumType[], string[] | null][] = [
  ['nothing configured gives null (e.g. TxUpdatedMeasurands empty)', [], null],
  ['an absent measurand counts as Energy.Active.Import.Register', ['Energy.Active.Import.Register'], ['-/-']],
  [
    'every phase of a configured measurand (J §2.3, errata 2025-09)',
    ['Current.Import'],
    ['Current.Import/L1', 'Current.Import/L2', 'Current.Import/L3'],
  ],
  ['reading order kept, not configuration order', ['SoC', 'Energy.Active.Import.Register'], ['-/-', 'SoC/-']],
  ['measurands the meter does not measure are skipped', ['SoC', 'Power.Offered'], ['SoC/-']],
  ['only measurands the meter does not measure gives null', ['Power.Offered', 'Frequency'], null],
];
for (const [title, measurands, expected] of selections) {
  test(`J02.FR.11 / J01.FR.14 configured measurands: ${title}`, () => {
    const result = meterValueFor(hostReading(), {
      measurands,
      context: 'Sample.Periodic',
      signReadings: false,
    });
    assert.deepEqual(shape(result), expected);
    if (result !== null) assertReportable(result);
  });
}

const contexts: ReadingContextEnumType[] = [
  'Transaction.Begin',
  'Sample.Periodic',
  'Sample.Clock',
  'Transaction.End',
  'Trigger',
];
for (const context of contexts) {
  test(`J02.FR.04 / E01.FR.09 / E06.FR.11: context ${context} is set on every sampled value`, () => {
    const reading = hostReading();
    reading.sampledValue[1] = { ...reading.sampledValue[1]!, context: 'Other' };
    const result = meterValueFor(reading, {
      measurands: ['Energy.Active.Import.Register', 'Current.Import', 'SoC'],
      context,
      signReadings: false,
    });
    assert.ok(result);
    assert.equal(result.sampledValue.length, 5);
    assert.ok(result.sampledValue.every((v) => v.context === context));
    assertReportable(result);
  });
}

const signing: [string, boolean, boolean][] = [
  ['SignReadings false drops signedMeterValue', false, false],
  ["SignReadings true keeps the meter's signedMeterValue (J02.FR.21, E02.FR.14, J01.FR.21)", true, true],
];
for (const [title, signReadings, expectSigned] of signing) {
  test(`J02.FR.21: ${title}`, () => {
    const result = meterValueFor(hostReading(), {
      measurands: ['Energy.Active.Import.Register', 'SoC'],
      context: 'Transaction.End',
      signReadings,
    });
    assert.ok(result);
    assert.equal('signedMeterValue' in result.sampledValue[0]!, expectSigned);
    if (expectSigned) assert.deepEqual(result.sampledValue[0]!.signedMeterValue, signed);
    assert.equal(
      'signedMeterValue' in result.sampledValue[1]!,
      false,
      'a value the meter did not sign stays unsigned',
    );
    assertReportable(result);
  });
}

const timestamps: [string, string | undefined, string][] = [
  ["the reading's own timestamp by default", undefined, T],
  [
    'the given timestamp (e.g. the clock-aligned instant)',
    '2025-01-01T10:15:00.000Z',
    '2025-01-01T10:15:00.000Z',
  ],
];
for (const [title, timestamp, expected] of timestamps) {
  test(`J02.FR.18: one timestamp for all sampled values, ${title}`, () => {
    const options = {
      measurands: ['SoC', 'Current.Import'] as MeasurandEnumType[],
      context: 'Sample.Clock' as const,
      signReadings: false,
    };
    const result = meterValueFor(
      hostReading(),
      timestamp === undefined ? options : { ...options, timestamp },
    );
    assert.equal(result?.timestamp, expected);
  });
}

test('meterValueFor never mutates the reading and shares no objects with it', () => {
  const reading = hostReading();
  const before = structuredClone(reading);
  const result = meterValueFor(reading, {
    measurands: ['Energy.Active.Import.Register', 'Voltage'],
    context: 'Transaction.Begin',
    signReadings: true,
    timestamp: '2025-01-01T10:00:05Z',
  });
  assert.deepEqual(reading, before);
  assert.ok(result);
  result.sampledValue[0]!.unitOfMeasure!.unit = 'kWh';
  result.sampledValue[0]!.signedMeterValue!.publicKey = 'changed';
  assert.deepEqual(reading, before);
});

test('customData of the reading is kept (copied)', () => {
  // CustomDataType allows extra properties (schema: no additionalProperties = false).
  const customData = { vendorId: 'com.example', meter: 'M1' };
  const reading: MeterValueType = { ...hostReading(), customData };
  const result = meterValueFor(reading, { measurands: ['SoC'], context: 'Trigger', signReadings: false });
  assert.deepEqual(result?.customData, { vendorId: 'com.example', meter: 'M1' });
  assert.notEqual(result?.customData, reading.customData);
  assertReportable(result!);
});

const badTimes: [string, MeterValueType, string | undefined, RegExp][] = [
  ['reading timestamp', { ...hostReading(), timestamp: '10:00' }, undefined, /^reading\.timestamp:/],
  ['options timestamp', hostReading(), '2025-01-01', /^options\.timestamp:/],
];
for (const [title, reading, timestamp, message] of badTimes) {
  test(`J01.FR.05: a ${title} that is not RFC 3339 throws a RangeError`, () => {
    const options = {
      measurands: ['SoC'] as MeasurandEnumType[],
      context: 'Trigger' as const,
      signReadings: false,
    };
    assert.throws(
      () => meterValueFor(reading, timestamp === undefined ? options : { ...options, timestamp }),
      (error: unknown) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}
