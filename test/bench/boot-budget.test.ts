import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coresBudgetMs, coresBusy, threadBudgetMs } from '../../bench/fleet/boot-budget.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

test('cores busy: (load + CSMS CPU per boot) × rate', () => {
  close(coresBusy({ rate: 1000, loadMs: 1.1, csmsMs: 0.9 }), 2);
  close(coresBusy({ rate: 400, loadMs: 3.5, csmsMs: 0.5 }), 1.6);
});

test('one thread: the target rate leaves 1000 / rate ms of CPU per boot', () => {
  close(threadBudgetMs(1000), 1);
  close(threadBudgetMs(1250), 0.8);
});

test('every core: the cores’ ms per boot at the target rate, less the CSMS’s part', () => {
  close(coresBudgetMs(1000, 2, 0.5), 1.5);
  close(coresBudgetMs(1400, 2, 0.4), 2000 / 1400 - 0.4);
  // A CSMS part above the cores' whole budget leaves a negative budget (no load is cheap enough).
  assert.ok(coresBudgetMs(5000, 2, 0.5) < 0);
});
