/**
 * C04.FR.04: a KeyCode idToken never appears in the station's logging. The CLI (`--json`, a child
 * process) presents a key code; the strict test CSMS receives it as it is, while nothing the CLI
 * printed (OCPP frames, command results) nor what `ocppMessagesCallback` saw holds it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { is, killAll, startAcceptedCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';
import { startTestCsms } from '../../src/testing/index.js';
import { REDACTED } from '../../src/logging/redact-key-codes.js';

const processes: CliProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await killAll(processes);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

test('C04.FR.04: a key code reaches the CSMS but no line the CLI prints', async () => {
  const server = await startTestCsms();
  cleanups.push(() => server.close());
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-key-code-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const stationId = 'KEYCODE-1';
  const secret = '73915548';
  const p = await startAcceptedCli(processes, [
    '--csms',
    server.url,
    '--id',
    stationId,
    '--db',
    path.join(dir, 's.db'),
  ]);

  const since = p.mark();
  const line = `auth ${secret} KeyCode 1`;
  p.send(line);
  const authorize = await server.waitForCall('Authorize', (c) => c.identity === stationId, WAIT_MS);
  assert.deepEqual((authorize.payload as { idToken: unknown }).idToken, { idToken: secret, type: 'KeyCode' });
  const sent = await p.waitFor('the Authorize frame', is.ocpp('out', 'Authorize'), since);
  assert.deepEqual(((sent as { frame: unknown[] }).frame[3] as { idToken: unknown }).idToken, {
    idToken: REDACTED,
    type: 'KeyCode',
  });
  const result = await p.waitFor(`result of '${line}'`, is.command(line), since);
  assert.ok(
    !(result as { message: string }).message.includes(secret),
    (result as { message: string }).message,
  );

  const printed = p.events
    .slice(since)
    // The command event echoes the operator's own input line.
    .map((e) => JSON.stringify(e.type === 'command' ? { ...e, line: '' } : e));
  const leaks = printed.filter((text) => text.includes(secret));
  assert.deepEqual(leaks, [], 'no printed event holds the key code');
  assert.ok(!p.stderr().includes(secret));
});
