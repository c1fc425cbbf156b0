import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInstant, parseInstant } from '../../src/meter-values/instant.js';

const valid: [string, string][] = [
  ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00.000Z'],
  ['2025-01-01T01:00:00+01:00', '2025-01-01T00:00:00.000Z'],
  ['2024-12-31T19:00:00.5-05:00', '2025-01-01T00:00:00.500Z'],
  ['2025-01-01t00:00:00.123456z', '2025-01-01T00:00:00.123Z'],
];
for (const [input, utc] of valid) {
  test(`GEN dateTime: ${input} is read and formatted as ${utc}`, () => {
    assert.equal(formatInstant(parseInstant(input, 'field')), utc);
  });
}

const invalid = [
  '2025-01-01',
  '2025-01-01T00:00:00',
  '2025-02-30T00:00:00Z',
  'yesterday',
  '2025-01-01 00:00:00Z',
  '',
];
for (const input of invalid) {
  test(`GEN dateTime: ${JSON.stringify(input)} is not RFC 3339 with offset (RangeError naming the field)`, () => {
    assert.throws(
      () => parseInstant(input, 'afterIso'),
      (error: unknown) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, /^afterIso: /);
        return true;
      },
    );
  });
}
