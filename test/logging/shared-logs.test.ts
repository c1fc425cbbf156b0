/**
 * src/logging/shared-logs.ts: holders of the same log file in one process share one writer (one
 * batch, one rotation count); the last release writes what is pending and lets go of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FLUSH_DELAY_MS } from '../../src/logging/json-lines-log.js';
import { acquireSharedLog } from '../../src/logging/shared-logs.js';

test('two holders of one file share one writer; another file has its own; the last release flushes and closes', async (t) => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-shared-log-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const a = acquireSharedLog({ directory, name: 'ocpp-messages' });
  const b = acquireSharedLog({ directory: `${directory}/.`, name: 'ocpp-messages' });
  const other = acquireSharedLog({ directory, name: 'security' });
  assert.equal(a.log, b.log, 'the same resolved file: the same writer');
  assert.notEqual(a.log, other.log);
  const at = new Date().toISOString();
  a.log.append({ time: at, stationId: 'A' });
  b.log.append({ time: at, stationId: 'B' });
  a.release();
  a.release(); // twice is once
  b.log.append({ time: at, stationId: 'B' });
  b.release();
  const written = readFileSync(path.join(directory, 'ocpp-messages.jsonl'), 'utf8').trim().split('\n');
  assert.deepEqual(written.map((l) => (JSON.parse(l) as { stationId: string }).stationId), ['A', 'B', 'B']);
  const again = acquireSharedLog({ directory, name: 'ocpp-messages' });
  assert.notEqual(again.log, a.log, 'released by all: a later holder opens it anew');
  again.release();
  other.release();
});

test('a failed batch is reported to every holder of the file', async (t) => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-shared-log-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const blocked = path.join(directory, 'file');
  await import('node:fs/promises').then((fs) => fs.writeFile(blocked, ''));
  const reports: string[] = [];
  const a = acquireSharedLog({ directory: blocked, name: 'security' }, () => reports.push('A'));
  const b = acquireSharedLog({ directory: blocked, name: 'security' }, () => reports.push('B'));
  t.mock.timers.enable({ apis: ['setTimeout'] });
  a.log.append({ time: new Date().toISOString() });
  t.mock.timers.tick(FLUSH_DELAY_MS); // the batch's write
  assert.deepEqual(reports.sort(), ['A', 'B']);
  a.release();
  b.release();
});
