/**
 * The CLI started from its V8 startup snapshot (`npm run build:snapshot`, scripts/build-snapshot.ts):
 * the snapshot is built into a temporary directory, and a Node.js started from it boots against the
 * strict ocpp-rpc test CSMS over a real websocket, with a real SQLite file, runs console commands and
 * exits; the launcher's choice of blob and its fallback when Node.js cannot load one.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSnapshot } from '../../scripts/build-snapshot.js';
import { runFromSnapshot, snapshotBlobPath, usableSnapshot } from '../../src/cli/snapshot-launcher.js';
import { startTestCsms, type TestCsms } from '../../src/testing/index.js';
import { is, killAll, REPO_ROOT, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';

const processes: CliProcess[] = [];
const servers: TestCsms[] = [];
let dir: string;
let blob: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ocpp-snapshot-'));
  // The shell launcher's fallback: a built main.js, older than the blob (none needed: never run here).
  const fallback = path.join(dir, 'fallback-main.js');
  await writeFile(fallback, '');
  const past = Date.now() / 1000 - 60;
  await utimes(fallback, past, past);
  blob = await buildSnapshot(path.join(dir, 'snapshot'), { mainFile: fallback });
});
after(async () => {
  await killAll(processes);
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

/** `node --snapshot-blob <blob> <main> ...args`, as the launcher starts it. */
function fromSnapshot(args: string[]): CliProcess {
  const main = path.join(REPO_ROOT, 'dist/src/cli/main.js');
  const p = spawnCli(['--json', ...args], { command: [process.execPath, '--snapshot-blob', blob, main] });
  processes.push(p);
  return p;
}

test('a CLI started from the snapshot boots against the CSMS, reports its connectors, plugs a cable and quits', async () => {
  const server = await startTestCsms();
  servers.push(server);
  const station = fromSnapshot(['--csms', server.url, '--id', 'SNAP-1', '--db', path.join(dir, 'a.db')]);
  const boot = await server.waitForCall('BootNotification', () => true, WAIT_MS);
  assert.equal(boot.identity, 'SNAP-1');
  assert.equal((boot.payload as { reason?: string }).reason, 'PowerUp');
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  for (const evseId of [1, 2]) {
    await server.waitForCall(
      'StatusNotification',
      (c) => (c.payload as { evseId?: number }).evseId === evseId,
      WAIT_MS,
    );
  }
  station.send('plug 1');
  await station.waitFor('connector event Occupied', is.connector(1, 1, 'Occupied'));
  await server.waitForCall(
    'StatusNotification',
    (c) => (c.payload as { connectorStatus?: string }).connectorStatus === 'Occupied',
    WAIT_MS,
  );
  station.send('quit');
  assert.deepEqual(await station.exited, { code: 0, signal: null });
});

test(
  'the shell launcher build:snapshot writes starts the CLI from the snapshot',
  { skip: process.platform === 'win32' },
  async () => {
    const server = await startTestCsms();
    servers.push(server);
    const p = spawnCli(['--json', '--csms', server.url, '--id', 'SNAP-SH', '--db', path.join(dir, 'sh.db')], {
      command: [path.join(path.dirname(blob), 'ocpp-station')],
      // The launcher runs the `node` on PATH: this one.
      env: {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      },
    });
    processes.push(p);
    const boot = await server.waitForCall('BootNotification', (c) => c.identity === 'SNAP-SH', WAIT_MS);
    assert.equal((boot.payload as { reason?: string }).reason, 'PowerUp');
    await p.waitFor('registration Accepted', is.registration('Accepted'));
    if (process.platform === 'linux') {
      // The shell exec'd Node.js in its own process: started from the blob, not the fallback.
      const cmdline = (await readFile(`/proc/${p.child.pid}/cmdline`, 'utf8')).split('\0');
      assert.deepEqual(cmdline.slice(1, 3), ['--snapshot-blob', blob]);
    }
    p.send('quit');
    assert.deepEqual(await p.exited, { code: 0, signal: null });
  },
);

test('a bad command line from the snapshot: exit code 2 and the message naming the option', async () => {
  const station = fromSnapshot(['--no-such-option']);
  assert.deepEqual(await station.exited, { code: 2, signal: null });
  assert.match(station.stderr(), /no-such-option/);
});

test('the launcher takes the blob of this Node.js only when it is newer than main.js and nothing opts out', async () => {
  const dist = path.join(dir, 'dist');
  const main = path.join(dist, 'src/cli/main.js');
  await mkdir(path.dirname(main), { recursive: true });
  await writeFile(main, '');
  assert.equal(usableSnapshot(main, {}, []), undefined, 'no blob');
  const own = snapshotBlobPath(dist);
  assert.match(path.basename(own), new RegExp(`^cli-${process.version}-${process.arch}\\.blob$`));
  await mkdir(path.dirname(own), { recursive: true });
  await writeFile(own, '');
  const now = Date.now() / 1000;
  await utimes(main, now - 10, now - 10);
  assert.equal(usableSnapshot(main, {}, []), own);
  assert.equal(usableSnapshot(main, { OCPP_STATION_SNAPSHOT: '0' }, []), undefined, 'opted out');
  assert.equal(usableSnapshot(main, {}, ['--inspect']), undefined, 'Node.js options given');
  await utimes(main, now + 10, now + 10);
  assert.equal(usableSnapshot(main, {}, []), undefined, 'main.js rebuilt after the blob');
});

test('the launcher passes the exit code on, and reports a blob Node.js cannot load as undefined (nothing ran)', async () => {
  assert.equal(
    await runFromSnapshot(blob, path.join(REPO_ROOT, 'dist/src/cli/main.js'), ['--no-such-option']),
    2,
  );
  assert.equal(await runFromSnapshot(path.join(dir, 'missing.blob'), 'main.js', []), undefined);
});
