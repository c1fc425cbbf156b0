import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateAvailability } from '../../src/runtime/availability-state.js';

test('aggregateAvailability: an Inoperative group is Unavailable whatever its members say', () => {
  assert.equal(aggregateAvailability(['Occupied'], false), 'Unavailable');
});

test('aggregateAvailability: Faulted only when every member is', () => {
  assert.equal(aggregateAvailability(['Faulted', 'Faulted'], true), 'Faulted');
  assert.equal(aggregateAvailability(['Faulted', 'Available'], true), 'Available');
});

test('aggregateAvailability: the most engaged usable member wins', () => {
  const cases: Array<[Parameters<typeof aggregateAvailability>[0], string]> = [
    [['Available', 'Occupied'], 'Occupied'],
    [['Reserved', 'Available'], 'Reserved'],
    [['Unavailable', 'Available'], 'Available'],
    [['Unavailable', 'Faulted'], 'Unavailable'],
    [[], 'Unavailable'],
  ];
  for (const [members, expected] of cases)
    assert.equal(aggregateAvailability(members, true), expected, members.join(','));
});
