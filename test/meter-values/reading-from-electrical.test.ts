import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SampledValueType } from '../../src/generated/ocpp-types.js';
import { readingFromElectrical, type ElectricalSample } from '../../src/meter-values/index.js';
import { assertReportable } from './schema.js';

const T = '2025-01-01T10:00:00Z';

/** One line per sampled value: measurand phase location value unit. */
const lines = (values: SampledValueType[]) =>
  values.map((v) =>
    [v.measurand, v.phase ?? '-', v.location ?? '-', v.value, v.unitOfMeasure?.unit].join(' '),
  );

const cases: [title: string, sample: ElectricalSample, expected: string[]][] = [
  [
    'energy only: the register in Wh, with measurand and unit',
    { timestamp: T, energyWh: 1520.5 },
    ['Energy.Active.Import.Register - - 1520.5 Wh'],
  ],
  [
    'single phase: every value without phase (the overall value)',
    { timestamp: T, energyWh: 10, powerW: 7360, currentA: 32, voltageV: 230, frequencyHz: 50, soc: 42.5 },
    [
      'Energy.Active.Import.Register - - 10 Wh',
      'Power.Active.Import - - 7360 W',
      'Current.Import - - 32 A',
      'Voltage - - 230 V',
      'Frequency - - 50 Hz',
      'SoC - EV 42.5 Percent',
    ],
  ],
  [
    'three phases (J01.FR.11): current per phase L1..L3 and no total, voltage L1-N..L3-N, energy and power totals',
    { timestamp: T, energyWh: 10, powerW: 11040, currentA: 16, voltageV: 230, phases: 3 },
    [
      'Energy.Active.Import.Register - - 10 Wh',
      'Power.Active.Import - - 11040 W',
      'Current.Import L1 - 16 A',
      'Current.Import L2 - 16 A',
      'Current.Import L3 - 16 A',
      'Voltage L1-N - 230 V',
      'Voltage L2-N - 230 V',
      'Voltage L3-N - 230 V',
    ],
  ],
  [
    'float noise rounded to the meter resolution of 0.001',
    { timestamp: T, energyWh: 0.1 + 0.2, powerW: 7359.99949, currentA: 15.99951 },
    [
      'Energy.Active.Import.Register - - 0.3 Wh',
      'Power.Active.Import - - 7359.999 W',
      'Current.Import - - 16 A',
    ],
  ],
  [
    'zero values are reported (an idle meter)',
    { timestamp: T, energyWh: 0, powerW: 0, currentA: 0, soc: 0 },
    [
      'Energy.Active.Import.Register - - 0 Wh',
      'Power.Active.Import - - 0 W',
      'Current.Import - - 0 A',
      'SoC - EV 0 Percent',
    ],
  ],
];
for (const [title, sample, expected] of cases) {
  test(`readingFromElectrical: ${title}`, () => {
    const reading = readingFromElectrical(sample);
    assert.equal(reading.timestamp, sample.timestamp);
    assert.deepEqual(lines(reading.sampledValue), expected);
    assert.ok(reading.sampledValue.every((v) => typeof v.value === 'number' && Number.isFinite(v.value)));
    assert.ok(
      reading.sampledValue.every((v) => !('context' in v)),
      'context is left to meterValueFor',
    );
    assertReportable(reading);
  });
}

const invalid: [title: string, sample: ElectricalSample, message: RegExp][] = [
  ['a timestamp that is not RFC 3339', { timestamp: '2025-01-01', energyWh: 1 }, /^sample\.timestamp:/],
  ['a negative energy register', { timestamp: T, energyWh: -1 }, /^energyWh:/],
  ['a NaN power', { timestamp: T, energyWh: 1, powerW: Number.NaN }, /^powerW:/],
  ['an infinite current', { timestamp: T, energyWh: 1, currentA: Number.POSITIVE_INFINITY }, /^currentA:/],
  ['a SoC above 100', { timestamp: T, energyWh: 1, soc: 100.5 }, /^soc:/],
  ['a SoC below 0', { timestamp: T, energyWh: 1, soc: -0.5 }, /^soc:/],
  ['2 phases', { timestamp: T, energyWh: 1, phases: 2 as 1 }, /^phases:/],
];
for (const [title, sample, message] of invalid) {
  test(`readingFromElectrical rejects ${title} with a RangeError`, () => {
    assert.throws(
      () => readingFromElectrical(sample),
      (error: unknown) => error instanceof RangeError && message.test(error.message),
    );
  });
}
