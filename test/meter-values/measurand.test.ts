import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MEASURAND, MEASURANDS, isMeasurand, measurandOf } from '../../src/meter-values/index.js';
import { validateRequest } from '../../src/validation/index.js';

test('MeasurandEnumType: every listed measurand is accepted by the MeterValuesRequest schema', () => {
  assert.equal(MEASURANDS.length, 25);
  for (const measurand of MEASURANDS) {
    const payload = {
      evseId: 1,
      meterValue: [{ timestamp: '2025-01-01T00:00:00Z', sampledValue: [{ value: 1, measurand }] }],
    };
    assert.equal(validateRequest('MeterValues', payload), null, measurand);
  }
  const outsider = {
    evseId: 1,
    meterValue: [{ timestamp: '2025-01-01T00:00:00Z', sampledValue: [{ value: 1, measurand: 'Energy' }] }],
  };
  assert.notEqual(
    validateRequest('MeterValues', outsider),
    null,
    'a name outside the list is rejected by the schema too',
  );
});

const names: [string, boolean][] = [
  ['Energy.Active.Import.Register', true],
  ['SoC', true],
  ['Power.Offered', true],
  ['soc', false],
  ['Energy.Active.Import.Register ', false],
  ['', false],
  ['toString', false],
  ['__proto__', false],
];
for (const [name, expected] of names) {
  test(`isMeasurand(${JSON.stringify(name)}) is ${expected}`, () => {
    assert.equal(isMeasurand(name), expected);
  });
}

test('SampledValueType: an absent measurand is Energy.Active.Import.Register (schema default)', () => {
  assert.equal(DEFAULT_MEASURAND, 'Energy.Active.Import.Register');
  assert.equal(measurandOf({}), 'Energy.Active.Import.Register');
  assert.equal(measurandOf({ measurand: 'Voltage' }), 'Voltage');
});
