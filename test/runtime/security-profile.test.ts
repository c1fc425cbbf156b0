import { test } from 'node:test';
import assert from 'node:assert/strict';
import { securityProfileAllowed } from '../../src/runtime/security-profile.js';

test('A00.FR.005 / A05.FR.08–10 / B09.FR.04/31/32: the security profile only goes up, 3 → 2 only when allowed', () => {
  const cases: Array<[number, number, boolean, boolean, string]> = [
    [1, 2, false, true, 'upgrade'],
    [2, 2, false, true, 'same level'],
    [2, 3, false, true, 'upgrade'],
    [2, 1, false, false, 'A05.FR.10 / B09.FR.04'],
    [3, 2, false, false, 'A05.FR.10 / B09.FR.04: downgrade not allowed'],
    [3, 2, true, true, 'A05.FR.08 / B09.FR.31'],
    [3, 1, true, false, 'A05.FR.09 / B09.FR.32: never to 1'],
    [2, 1, true, false, 'A05.FR.09 / B09.FR.32: never to 1'],
  ];
  for (const [current, requested, allow, expected, why] of cases) {
    assert.equal(
      securityProfileAllowed(current, requested, allow),
      expected,
      `${current} → ${requested} (${why})`,
    );
  }
});
