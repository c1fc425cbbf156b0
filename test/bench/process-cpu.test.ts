import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStatCpuMs, processCpuMs } from '../../bench/fleet/process-cpu.js';

test('utime + stime of /proc/<pid>/stat in ms (USER_HZ 100)', () => {
  assert.equal(parseProcStatCpuMs('42 (node) S 1 42 42 0 -1 4194304 10 0 0 0 250 30 0 0 20 0 11'), 2800);
});

test('a command name with spaces and parentheses does not shift the fields', () => {
  assert.equal(parseProcStatCpuMs('7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0 20 0 1'), 110);
});

test('a line that is not a stat line is an error naming it, not a figure', () => {
  assert.throws(() => parseProcStatCpuMs('no parentheses here'), /not a \/proc\/<pid>\/stat line/);
  assert.throws(() => parseProcStatCpuMs('1 (x) S 1'), /no utime\/stime/);
});

test('this process: a figure on Linux that grows with work; undefined for a pid that is gone', () => {
  if (process.platform !== 'linux') return;
  const before = processCpuMs(process.pid);
  assert.ok(before !== undefined && before >= 0);
  const end = process.cpuUsage().user / 1000 + 60;
  while (process.cpuUsage().user / 1000 < end); // burn ~60 ms of CPU (more than a 10 ms tick)
  assert.ok(processCpuMs(process.pid)! > before);
  assert.equal(processCpuMs(2 ** 30), undefined);
});
