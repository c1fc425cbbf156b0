import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStatCpuMs, processCpuMs, threadCpuMs } from '../../bench/fleet/process-cpu.js';

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

const linux = process.platform === 'linux' ? {} : { skip: 'reads /proc (Linux)' };

test(
  'this process and its main thread: figures that grow with work; undefined for a pid that is gone',
  linux,
  () => {
    const before = processCpuMs(process.pid);
    const mainBefore = threadCpuMs(process.pid, process.pid);
    assert.ok(before !== undefined && before >= 0);
    assert.ok(mainBefore !== undefined && mainBefore >= 0 && mainBefore <= before);
    const end = process.cpuUsage().user / 1000 + 60;
    while (process.cpuUsage().user / 1000 < end); // burn ~60 ms of CPU on this thread (6 ticks of 10 ms)
    assert.ok(processCpuMs(process.pid)! > before);
    assert.ok(threadCpuMs(process.pid, process.pid)! > mainBefore);
    assert.equal(processCpuMs(2 ** 30), undefined);
    assert.equal(threadCpuMs(process.pid, 2 ** 30), undefined);
  },
);
