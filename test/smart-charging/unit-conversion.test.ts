import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertRate, floorToTenth } from '../../src/smart-charging/index.js';
import { roundToTenth } from '../../src/smart-charging/unit-conversion.js';

test('K01.FR.50: A per phase = W / (voltage x phases), and back', () => {
  assert.equal(convertRate(11040, 'W', 'A', 230, 3), 16);
  assert.equal(convertRate(3680, 'W', 'A', 230, 1), 16);
  assert.equal(convertRate(16, 'A', 'W', 230, 3), 11040);
  assert.equal(convertRate(16, 'A', 'W', 120, 2), 3840);
  assert.equal(convertRate(7.5, 'A', 'A', 230, 3), 7.5);
});

test('limits are rounded down to one decimal, without losing a tenth to binary fractions', () => {
  assert.equal(floorToTenth(15.942), 15.9);
  assert.equal(floorToTenth(0.1 + 0.2), 0.3);
  assert.equal(floorToTenth(8.69), 8.6);
  assert.equal(floorToTenth(6), 6);
  assert.equal(roundToTenth(6.26), 6.3);
});
