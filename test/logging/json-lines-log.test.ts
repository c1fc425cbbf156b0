import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonLinesLog } from '../../src/logging/json-lines-log.js';

test('JsonLinesLog: appends JSON lines, rotates at maxBytes keeping `files` files, reads a time window oldest first', async (t) => {
  const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-log-'));
  t.after(() => rm(directory, { recursive: true, force: true }));
  const log = new JsonLinesLog({ directory, name: 'security', maxBytes: 200, files: 3 });
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  for (let i = 0; i < 20; i += 1) log.append({ time: at(i), n: i });
  assert.ok(existsSync(log.file(0)) && existsSync(log.file(1)) && existsSync(log.file(2)));
  assert.ok(!existsSync(log.file(3)), 'at most 3 files');
  const all = log.lines().map((l) => l.n as number);
  assert.deepEqual(all, [...all].sort((a, b) => a - b), 'oldest first');
  assert.equal(all.at(-1), 19);
  assert.ok(all.length < 20, 'the oldest lines were rotated away');
  assert.deepEqual(log.lines({ oldest: at(17), latest: at(18) }).map((l) => l.n), [17, 18]);
});
