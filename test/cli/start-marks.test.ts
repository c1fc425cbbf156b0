/**
 * `OCPP_STATION_START_MARKS=1` (src/cli/start-marks.ts): the CLI, booting against the strict
 * ocpp-rpc test CSMS over a real websocket with a real SQLite file, writes each step of its start
 * to stderr in order, up to the BootNotification frame; without it, no mark.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestCsms, type TestCsms } from '../../src/testing/index.js';
import { is, killAll, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';

const processes: CliProcess[] = [];
const servers: TestCsms[] = [];
const dirs: string[] = [];
after(async () => {
  await killAll(processes);
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function boot(env: NodeJS.ProcessEnv): Promise<CliProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-marks-'));
  dirs.push(dir);
  const server = await startTestCsms();
  servers.push(server);
  const p = spawnCli(['--json', '--csms', server.url, '--id', 'MARKS-1', '--db', path.join(dir, 'a.db')], {
    env: { ...process.env, ...env },
  });
  processes.push(p);
  await server.waitForCall('BootNotification', (c) => c.identity === 'MARKS-1', WAIT_MS);
  await p.waitFor('registration Accepted', is.registration('Accepted'));
  p.send('quit');
  assert.deepEqual(await p.exited, { code: 0, signal: null });
  return p;
}

test('with OCPP_STATION_START_MARKS=1 each step of the start is marked once, in order, with its time', async () => {
  const p = await boot({ OCPP_STATION_START_MARKS: '1' });
  const marks = [...p.stderr().matchAll(/^ocpp-station start-mark (\S+) (\d+\.\d)$/gm)].map((m) => ({
    name: m[1],
    ms: Number(m[2]),
  }));
  assert.deepEqual(
    marks.map((m) => m.name),
    ['cli', 'options', 'database', 'station-starting', 'first-actor', 'connected', 'boot-frame'],
  );
  for (let i = 1; i < marks.length; i++) assert.ok(marks[i]!.ms >= marks[i - 1]!.ms, JSON.stringify(marks));
});

test('without it, stderr has no mark', async () => {
  const p = await boot({ OCPP_STATION_START_MARKS: undefined });
  assert.doesNotMatch(p.stderr(), /start-mark/);
});
