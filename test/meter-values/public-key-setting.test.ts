import { test } from 'node:test';
import assert from 'node:assert/strict';
import { includePublicKey, type PublicKeyWithSignedMeterValue } from '../../src/meter-values/index.js';

const cases: [setting: PublicKeyWithSignedMeterValue | undefined, alreadySent: boolean, expected: boolean][] =
  [
    ['Never', false, false],
    ['Never', true, false],
    ['OncePerTransaction', false, true],
    ['OncePerTransaction', true, false],
    ['EveryMeterValue', false, true],
    ['EveryMeterValue', true, true],
    [undefined, false, false],
    [undefined, true, false],
  ];
for (const [setting, alreadySent, expected] of cases) {
  test(`PublicKeyWithSignedMeterValue ${setting ?? '(absent)'}, already sent ${alreadySent}: include ${expected}`, () => {
    assert.equal(includePublicKey(setting, alreadySent), expected);
  });
}

for (const value of ['never', 'Always', '']) {
  test(`PublicKeyWithSignedMeterValue ${JSON.stringify(value)} is outside the OptionList: RangeError`, () => {
    assert.throws(() => includePublicKey(value as PublicKeyWithSignedMeterValue, false), RangeError);
  });
}
