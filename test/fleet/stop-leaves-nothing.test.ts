/**
 * After `stop()` of every station and `fleet.close()`, the library leaves nothing behind: no timer,
 * socket or reconnect loop keeps the process alive, no file request of its own is in flight, and
 * nothing makes the station's files again once the host removed them. CI once hung for 90 minutes
 * in test/fleet/fleet-firmware.test.ts: the stations wrote into the directory that test was
 * removing before it stopped them (the removal failed, node:test skipped the later `t.after`
 * hooks, and the never stopped stations kept reconnecting to the closed CSMS).
 *
 * Each case runs test/fleet/stop-leak-child.ts in a process of its own (the hardest teardown: the
 * CSMS closes first, then the file server, then the directory goes, and only then the stations
 * stop, at a moment the case names) and waits for it to exit by itself. One that does not is told
 * SIGUSR2 (it prints what keeps it alive), then killed, and the case fails with that.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD = 'test/fleet/stop-leak-child.ts';
/** Generous: a child runs for a few seconds; CI's two cores are shared with another run. */
const EXIT_BOUND_MS = 60_000;

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The child did not exit within the bound (it was killed). */
  hung: boolean;
}

/** Runs the child; resolves once it exited (or was killed after {@link EXIT_BOUND_MS}). */
function runChild(scenario: string, turns: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, scenario, String(turns)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // The bound is the test's, not the library's: a child that is still alive says why, then goes.
    const bound = setTimeout(() => {
      hung = true;
      child.kill('SIGUSR2');
      setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
    }, EXIT_BOUND_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(bound);
      // 'close' follows once the pipes are drained: the last lines are in.
      child.on('close', () => resolve({ code, signal, stdout, stderr, hung }));
    });
  });
}

/** The JSON of the line that starts with `label`, if printed. */
function line(stdout: string, label: string): Record<string, unknown> | undefined {
  const found = stdout.split('\n').find((l) => l.startsWith(`${label} `));
  return found === undefined ? undefined : (JSON.parse(found.slice(label.length + 1)) as Record<string, unknown>);
}

const CASES: Array<{ scenario: string; turns: number; what: string }> = [
  { scenario: 'download', turns: 0, what: 'stopped while both downloads are held half-sent' },
  { scenario: 'retrying', turns: 0, what: 'stopped as the downloads retry against the closed file server' },
  { scenario: 'retrying', turns: 5, what: 'stopped a few turns into the retries' },
  { scenario: 'install', turns: 0, what: 'stopped while the installs resolve Installed' },
  { scenario: 'install', turns: 3, what: 'stopped, the installs resolving during the stop' },
  { scenario: 'installed', turns: 0, what: 'stopped right after Installed' },
  { scenario: 'reconnecting', turns: 0, what: 'stopped while reconnecting to the closed CSMS' },
];

for (const { scenario, turns, what } of CASES) {
  test(`a fleet ${what} (${scenario}, ${turns} turns): stop() and close() leave nothing running or writing`, async () => {
    const run = await runChild(scenario, turns);
    const alive = line(run.stdout, 'alive');
    assert.equal(
      run.hung,
      false,
      `the child did not exit within ${EXIT_BOUND_MS} ms of starting; alive: ${JSON.stringify(alive)}\n${run.stdout}\n${run.stderr}`,
    );
    assert.equal(run.code, 0, `the child failed (${String(run.signal)}):\n${run.stdout}\n${run.stderr}`);
    const stopped = line(run.stdout, 'stopped');
    const exited = line(run.stdout, 'exited');
    assert.ok(stopped && exited, `the child said nothing:\n${run.stdout}\n${run.stderr}`);
    assert.deepEqual(stopped['fs'], [], 'no file request of the library is in flight once stop() resolved');
    assert.equal(exited['recreated'], false, 'nothing makes the removed directory again after stop()');
    assert.deepEqual(exited['lateTimers'], [], 'the library arms no timer after stop()');
  });
}
