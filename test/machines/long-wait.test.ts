import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor } from 'xstate';
import { longWaitMachine, MAX_TIMER_DELAY_MS, timerDelayMs, waitMs } from '../../machines/long-wait.js';
import { RecordingClock } from './recording-clock.js';

const DAY_MS = 24 * 3600 * 1000;

test('timerDelayMs clamps to what setTimeout honours, never below 0', () => {
  assert.equal(MAX_TIMER_DELAY_MS, 2 ** 31 - 1);
  assert.equal(timerDelayMs(1500), 1500);
  assert.equal(timerDelayMs(MAX_TIMER_DELAY_MS), MAX_TIMER_DELAY_MS);
  assert.equal(timerDelayMs(MAX_TIMER_DELAY_MS + 1), MAX_TIMER_DELAY_MS);
  assert.equal(timerDelayMs(30 * DAY_MS), MAX_TIMER_DELAY_MS);
  assert.equal(timerDelayMs(Infinity), MAX_TIMER_DELAY_MS);
  assert.equal(timerDelayMs(-5), 0);
  assert.equal(timerDelayMs(NaN), 0);
});

test('waitMs turns seconds into ms with a floor, so 0, negative and NaN intervals never busy-loop', () => {
  assert.equal(waitMs(300), 300_000);
  assert.equal(waitMs(0), 1000);
  assert.equal(waitMs(-10), 1000);
  assert.equal(waitMs(NaN), 1000);
  assert.equal(waitMs(0, 5), 5000);
  assert.equal(waitMs(30 * 24 * 3600), 30 * DAY_MS, 'not clamped: longWaitMachine chains it');
});

/** Starts a long wait on a recording clock; `finished()` tells whether it completed. */
function startWait(ms: number) {
  const clock = new RecordingClock();
  const actor = createActor(longWaitMachine, { input: { ms }, clock });
  actor.start();
  return { clock, actor, finished: () => actor.getSnapshot().status === 'done' };
}

test('a short wait is one timer of exactly that length', () => {
  const { clock, actor, finished } = startWait(1500);
  assert.deepEqual(clock.delays, [1500]);
  clock.increment(1499);
  assert.equal(finished(), false);
  clock.increment(1);
  assert.equal(finished(), true);
  actor.stop();
});

test('a 30-day wait chains clamped timers and ends exactly after 30 days, not earlier', () => {
  const { clock, actor, finished } = startWait(30 * DAY_MS);
  clock.increment(MAX_TIMER_DELAY_MS);
  assert.equal(finished(), false, 'one full timer is not the whole wait');
  clock.increment(30 * DAY_MS - MAX_TIMER_DELAY_MS - 1);
  assert.equal(finished(), false);
  clock.increment(1);
  assert.equal(finished(), true);
  assert.deepEqual(clock.delays, [MAX_TIMER_DELAY_MS, 30 * DAY_MS - MAX_TIMER_DELAY_MS]);
  actor.stop();
});

test('an infinite wait never ends and never asks for more than one timer can hold', () => {
  const { clock, actor, finished } = startWait(Infinity);
  for (let i = 0; i < 5; i++) clock.increment(MAX_TIMER_DELAY_MS);
  assert.equal(finished(), false);
  assert.equal(clock.delays.length, 6);
  assert.ok(clock.delays.every((ms) => ms === MAX_TIMER_DELAY_MS));
  actor.stop();
});

test('a zero, negative or NaN wait ends at once (on the next timer turn)', () => {
  for (const ms of [0, -1, NaN]) {
    const { clock, actor, finished } = startWait(ms);
    assert.deepEqual(clock.delays, [0]);
    clock.increment(0);
    assert.equal(finished(), true, String(ms));
    actor.stop();
  }
});
