import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CliEvent } from '../../src/cli/cli-events.js';
import { startTestCsms, type TestCsms } from '../../src/testing/index.js';
import { is, killAll, spawnCli, type CliProcess } from './helpers/cli-process.js';

// Worker threads load the sources through tsx each: on a busy machine that is slow.
const WAIT_MS = 120_000;
const processes: CliProcess[] = [];
after(() => killAll(processes));

function fleetCli(csms: TestCsms, args: string[]): CliProcess {
  const p = spawnCli(['--json', '--csms', csms.url, ...args], { waitMs: WAIT_MS });
  processes.push(p);
  return p;
}

const accepted = (p: CliProcess) =>
  p.events.filter((e) => e.type === 'registration' && e.status === 'Accepted').map((e) => String(e.stationId));
const boots = (csms: TestCsms) =>
  csms.calls.filter((c) => c.action === 'BootNotification').map((c) => c.identity);
const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);

test('--count 6 --workers 2: every station boots once, @id reaches its worker, quit stops all with a summary; state survives a restart', async () => {
  const csms = await startTestCsms();
  try {
    const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-workers-'));
    const args = ['--count', '6', '--workers', '2', '--id', 'WK%02d', '--db', path.join(dir, 'fleet.db')];
    const run = fleetCli(csms, args);
    await run.waitFor('6 registrations', () => accepted(run).length === 6);
    assert.deepEqual(accepted(run).sort(), ids('WK', 6));
    assert.deepEqual(boots(csms).sort(), ids('WK', 6), 'one BootNotification per station');
    // One SQLite file per worker, named after --db; the --db file itself is not used.
    assert.ok(existsSync(path.join(dir, 'fleet.w0-of-2.db')));
    assert.ok(existsSync(path.join(dir, 'fleet.w1-of-2.db')));
    assert.ok(!existsSync(path.join(dir, 'fleet.db')));

    // @id lines go to the worker that runs the station (WK02: worker 0, WK05: worker 1).
    run.send('@WK02 plug 1');
    run.send('@WK05 plug 2');
    run.send('@WK09 plug 1');
    for (const [id, evseId] of [
      ['WK02', 1],
      ['WK05', 2],
    ] as const) {
      await csms.waitForCall(
        'StatusNotification',
        (c) =>
          c.identity === id &&
          (c.payload as { evseId: number; connectorStatus: string }).evseId === evseId &&
          (c.payload as { connectorStatus: string }).connectorStatus === 'Occupied',
        WAIT_MS,
      );
      const result = await run.waitFor(`plug result of ${id}`, (e) => e.type === 'command' && e.stationId === id);
      assert.ok(result.type === 'command' && result.ok, JSON.stringify(result));
    }
    const unknown = await run.waitFor('unknown id answer', is.command('@WK09 plug 1'));
    assert.ok(unknown.type === 'command' && !unknown.ok);
    assert.match(unknown.message, /no station "WK09" in this fleet \(WK01 \.\. WK06\)/);
    assert.deepEqual(csms.validationFailures, []);

    // `status` without @ runs on every station, in both workers.
    const mark = run.mark();
    run.send('status');
    await run.waitFor('status of all 6', () =>
      ids('WK', 6).every((id) =>
        run.events.slice(mark).some((e) => e.type === 'command' && e.line === 'status' && e.stationId === id),
      ),
    );

    run.send('quit');
    assert.deepEqual(await run.exited, { code: 0, signal: null });
    assertCleanOutput(run);
    const summary = run.events.find((e) => e.type === 'fleet');
    assert.ok(summary?.type === 'fleet');
    assert.deepEqual(
      [summary.stations, summary.started, summary.booted, summary.errors],
      [6, 6, 6, 0],
      JSON.stringify(summary),
    );
    assert.ok(summary.messages >= 18, `boot + 2 statuses each at least, got ${summary.messages}`);
    for (const id of ids('WK', 6)) assert.ok(run.events.some((e) => is.station('stopped')(e) && e.stationId === id));

    // The same command line again: each worker finds its stations' state in its own file (the
    // cables plugged before the quit are still plugged).
    const again = fleetCli(csms, args);
    await again.waitFor('6 registrations after the restart', () => accepted(again).length === 6);
    for (const [id, evseId] of [
      ['WK02', 1],
      ['WK05', 2],
    ] as const)
      await again.waitFor(
        `${id} EVSE ${evseId} still Occupied`,
        (e) => is.connector(evseId, 1, 'Occupied')(e) && e.stationId === id,
      );
    again.kill('SIGTERM');
    assert.deepEqual(await again.exited, { code: 0, signal: null });
    assert.deepEqual(again.events.at(-1)?.type, 'exit');
  } finally {
    await csms.close();
  }
});

test('a worker that fails is an error event; the other worker runs on and quit still exits 0', async () => {
  const csms = await startTestCsms();
  try {
    const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-workers-crash-'));
    // Worker 1 cannot open its database: a directory stands where its file would be.
    await mkdir(path.join(dir, 'fleet.w1-of-2.db'));
    const run = fleetCli(csms, ['--count', '6', '--workers', '2', '--id', 'WC%02d', '--db', path.join(dir, 'fleet.db')]);
    const failure = await run.waitFor('worker 1 failure', (e) => e.type === 'error' && /worker 1/.test(e.message));
    assert.ok(failure.type === 'error' && !failure.fatal);
    assert.match(failure.message, /^worker 1 \(WC04 \.\. WC06\) failed: .+the other workers run on$/);
    await run.waitFor('worker 0 booted its 3', () => accepted(run).length === 3);
    assert.deepEqual(accepted(run).sort(), ['WC01', 'WC02', 'WC03']);

    run.send('@WC05 plug 1');
    const refused = await run.waitFor('answer for a station of the failed worker', is.command('@WC05 plug 1'));
    assert.ok(refused.type === 'command' && !refused.ok);
    assert.match(refused.message, /station WC05 is not running: its worker 1 failed/);

    run.send('quit');
    assert.deepEqual(await run.exited, { code: 0, signal: null });
    assertCleanOutput(run);
    const summary = run.events.find((e) => e.type === 'fleet');
    assert.ok(summary?.type === 'fleet');
    assert.deepEqual([summary.stations, summary.started, summary.booted], [6, 3, 3]);
    assert.ok(summary.errors >= 1);
    assert.deepEqual(boots(csms).sort(), ['WC01', 'WC02', 'WC03']);
  } finally {
    await csms.close();
  }
});

/** Every stdout line was one whole JSON event (no interleaved halves), `exit` last. */
function assertCleanOutput(run: CliProcess): void {
  assert.deepEqual(run.lines, [], 'stdout lines that are not JSON events');
  assert.equal(run.events.at(-1)?.type, 'exit');
  for (const event of run.events as CliEvent[]) assert.equal(typeof event.time, 'string');
}
