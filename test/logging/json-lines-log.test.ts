import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FLUSH_DELAY_MS, JsonLinesLog } from '../../src/logging/json-lines-log.js';

test('JsonLinesLog: appends JSON lines, rotates at maxBytes keeping `files` files, reads a time window oldest first', async (t) => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-log-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const log = new JsonLinesLog({ directory, name: 'security', maxBytes: 200, files: 3 });
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  for (let i = 0; i < 20; i += 1) log.append({ time: at(i), n: i });
  log.flush();
  assert.ok(existsSync(log.file(0)) && existsSync(log.file(1)) && existsSync(log.file(2)));
  assert.ok(!existsSync(log.file(3)), 'at most 3 files');
  const all = log.lines().map((l) => l.n as number);
  assert.deepEqual(all, [...all].sort((a, b) => a - b), 'oldest first');
  assert.equal(all.at(-1), 19);
  assert.ok(all.length < 20, 'the oldest lines were rotated away');
  assert.deepEqual(log.lines({ oldest: at(17), latest: at(18) }).map((l) => l.n), [17, 18]);
});

test('JsonLinesLog: appends are batched (with flushDelayMs 0, written at the end of the turn, in call order); a read includes pending lines', async (t) => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-log-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const log = new JsonLinesLog({ directory, name: 'ocpp-messages', flushDelayMs: 0 });
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  log.append({ time: at, stationId: 'A', n: 1 });
  log.append({ time: at, stationId: 'B', n: 2 });
  assert.ok(!existsSync(log.file()), 'nothing written inside the turn');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    readFileSync(log.file(), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { n: number }).n),
    [1, 2],
  );
  log.append({ time: at, stationId: 'A', n: 3 });
  assert.deepEqual(log.lines().map((l) => l.n), [1, 2, 3], 'a read writes what is pending first');
});

test('JsonLinesLog: with a stationId, a read returns only that station\'s lines (a line naming no station is nobody\'s)', async (t) => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-log-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const log = new JsonLinesLog({ directory, name: 'security', maxBytes: 150, files: 8 });
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  log.append({ time: at(0), n: 0 });
  for (let i = 1; i < 9; i += 1) log.append({ time: at(i), stationId: i % 2 === 0 ? 'A' : 'B', n: i });
  log.flush();
  assert.ok(existsSync(log.file(1)), 'rotated: the lines span files');
  assert.deepEqual(log.lines({}, 'A').map((l) => l.n), [2, 4, 6, 8]);
  assert.deepEqual(log.lines({ latest: at(5) }, 'B').map((l) => l.n), [1, 3, 5]);
  assert.deepEqual(log.lines({}, 'C'), []);
});

test('JsonLinesLog: a batch that cannot be written is reported to onError, never thrown from the turn', async (t) => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-log-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  // A file where the directory should be.
  const blocked = path.join(directory, 'not-a-directory');
  writeFileSync(blocked, '');
  const errors: unknown[] = [];
  const log = new JsonLinesLog({ directory: blocked, name: 'security', flushDelayMs: 0, onError: (e) => errors.push(e) });
  log.append({ time: new Date().toISOString(), n: 1 });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(errors.length, 1);
  assert.match(String((errors[0] as Error).message), /not-a-directory/);
});

test('JsonLinesLog: by default a batch is written FLUSH_DELAY_MS after its first line, not at the end of the turn', async (t) => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-log-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const log = new JsonLinesLog({ directory, name: 'ocpp-messages' });
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  log.append({ time: at, n: 1 });
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(!existsSync(log.file()), 'the turn ended: still waiting');
  t.mock.timers.tick(FLUSH_DELAY_MS - 1);
  log.appendJson(`{"time":"${at}","n":2}`);
  assert.ok(!existsSync(log.file()), 'a later line does not push the write back');
  t.mock.timers.tick(1);
  const written = () => readFileSync(log.file(), 'utf8').trim().split('\n');
  assert.deepEqual(written().map((l) => (JSON.parse(l) as { n: number }).n), [1, 2]);
  log.append({ time: at, n: 3 });
  log.flush();
  assert.equal(written().length, 3, 'flush() writes the batch at once');
  t.mock.timers.tick(FLUSH_DELAY_MS);
  assert.equal(written().length, 3, 'and its timer, disarmed, writes nothing more');
});

test('JsonLinesLog: appendJson writes a line serialized by the caller, read back like any other', async (t) => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-log-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const log = new JsonLinesLog({ directory, name: 'ocpp-messages' });
  log.appendJson('{"time":"2026-01-01T00:00:00.000Z","stationId":"A","frame":[2,"1","Heartbeat",{}]}');
  log.append({ time: '2026-01-01T00:00:01.000Z', stationId: 'B', frame: [3, '1', {}] });
  assert.deepEqual(log.lines({}, 'A'), [
    { time: '2026-01-01T00:00:00.000Z', stationId: 'A', frame: [2, '1', 'Heartbeat', {}] },
  ]);
});
