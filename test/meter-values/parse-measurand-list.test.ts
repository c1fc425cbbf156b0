import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MeasurandEnumType } from '../../src/generated/ocpp-types.js';
import { parseMeasurandList } from '../../src/meter-values/index.js';

const cases: [string, string | undefined, MeasurandEnumType[]][] = [
  ['absent variable', undefined, []],
  ['empty MemberList (e.g. TxEndedMeasurands left empty)', '', []],
  ['only whitespace', '   ', []],
  ['one measurand', 'Energy.Active.Import.Register', ['Energy.Active.Import.Register']],
  [
    'whitespace around entries',
    ' Energy.Active.Import.Register ,\tSoC , Voltage',
    ['Energy.Active.Import.Register', 'SoC', 'Voltage'],
  ],
  ['order as written, not schema order', 'Voltage,Current.Import', ['Voltage', 'Current.Import']],
  ['duplicates removed, first place kept', 'SoC,Voltage,SoC, Voltage', ['SoC', 'Voltage']],
  ['trailing and doubled commas ignored', 'SoC,,Voltage,', ['SoC', 'Voltage']],
];
for (const [title, value, expected] of cases) {
  test(`SampledDataCtrlr/AlignedDataCtrlr MemberList: ${title}`, () => {
    assert.deepEqual(parseMeasurandList(value), expected);
  });
}

const invalid: [string, string, RegExp][] = [
  ['unknown name', 'Energy.Active.Import.Register,Energy', /"Energy"/],
  ['wrong case (enum is case-sensitive)', 'soc', /"soc"/],
  ['every unknown name listed once', 'Foo, SoC, Bar, Foo', /"Foo", "Bar"/],
  ['a typo from the spec text', 'Energy.Active.Importantly.Register', /"Energy.Active.Importantly.Register"/],
];
for (const [title, value, message] of invalid) {
  test(`MemberList with ${title} throws a RangeError naming it`, () => {
    assert.throws(
      () => parseMeasurandList(value),
      (error: unknown) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, message);
        return true;
      },
    );
  });
}
