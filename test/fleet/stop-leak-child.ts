/**
 * The child process of test/fleet/stop-leaves-nothing.test.ts: a fleet of two stations against the
 * test CSMS, firmware downloads from a held http server, then the teardown of
 * test/fleet/fleet-firmware.test.ts as it was when CI hung (the CSMS closes first, then the file
 * server, then the directory goes, and only then `stop()` and `fleet.close()`), at the moment
 * `argv[2]` names, `argv[3]` turns of the event loop after it. Then, as a host would, it removes
 * the directory again and must exit by itself.
 *
 * It prints one `stopped {...}` line once everything was stopped (what is still active, the live
 * ref'd timers, the library's file requests in flight) and one `exited {...}` line at exit (whether
 * the removed directory was made again, timers the library armed after stop). SIGUSR2 prints what
 * keeps it alive (the parent asks when it does not exit).
 *
 * Scenarios:
 * - `download`: stop while both downloads are in flight (held half-sent);
 * - `retrying`: stop while the downloads retry without pause against the closed file server;
 * - `install`: stop while the installs resolve (the callback answers Installed as stop begins);
 * - `installed`: stop right after the installs answered Installed;
 * - `reconnecting`: stop once both stations are offline, trying to reconnect to the closed CSMS.
 */
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { armedTimers, libraryFsRequests, reportLateTimers } from './stop-leak-trace.js';

const [scenario = 'download', turnsArg = '0'] = process.argv.slice(2);
const turns = Number(turnsArg);
const SCENARIOS = ['download', 'retrying', 'install', 'installed', 'reconnecting'];
if (!SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${scenario}`);

const alive = () => ({ active: process.getActiveResourcesInfo(), timers: armedTimers(), fs: libraryFsRequests() });
process.on('SIGUSR2', () => process.stdout.write(`alive ${JSON.stringify(alive())}\n`));

// Imported after ./stop-leak-trace.js, so that every timer and file request is seen.
const { StationFleet } = await import('../../src/fleet/station-fleet.js');
const { startTestCsms, waitFor } = await import('../../src/testing/index.js');
const { startFileServer, updateRequest } = await import('../integration/firmware-helpers.js');
type InstallOutcome = 'Installed' | 'InstallationFailed';

/** Resolves after `n` turns of the event loop (an interleaving, not a wait for time). */
const afterTurns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
};

const csms = await startTestCsms();
const images = { 'a.bin': Buffer.alloc(64 * 1024, 'A'), 'b.bin': Buffer.alloc(64 * 1024, 'B') };
const server = await startFileServer(images);
const directory = await mkdtemp(path.join(tmpdir(), 'ocpp-stop-leak-'));
const fleet = await StationFleet.create({ database: path.join(directory, 'fleet.db'), evses: [{ id: 1, connectors: [{ id: 1 }] }] });
const ids = ['LEAK-A', 'LEAK-B'] as const;
const changes = new EventTarget();
/** The installs in progress: each answers when the scenario says. */
const installing: Array<(outcome: InstallOutcome) => void> = [];
const stations = ids.map((stationId) =>
  fleet.chargePoint({
    stationId,
    csmsUrl: csms.url,
    // Failed downloads and writes into the removed directory are expected here.
    onError: () => undefined,
    callbacks: {
      installFirmwareCallback: () =>
        new Promise<InstallOutcome>((resolve) => {
          installing.push(resolve);
          changes.dispatchEvent(new Event('change'));
        }),
    },
  }),
);
await Promise.all(stations.map((s) => s.start()));
for (const id of ids) await csms.waitForCall('StatusNotification', (c) => c.identity === id, 30_000);

const held = [server.holdNext('a.bin'), server.holdNext('b.bin')];
// `retrying`: once the file server is gone each station starts download after download at once
// (retryInterval 0), so a download is always beginning somewhere while the stations stop.
const retry = scenario === 'retrying' ? { retries: 1_000, retryInterval: 0 } : { retries: 3, retryInterval: 1 };
await Promise.all(ids.map((id, i) => csms.call(id, 'UpdateFirmware', updateRequest(7, server.url(i === 0 ? 'a.bin' : 'b.bin'), retry))));
await Promise.all(held.map((h) => h.started));

/**
 * Synchronous: node's own promise rm leaves a request in flight after it resolves, which would hide
 * the library's. The stations may write into the directory meanwhile (their batched logs: the
 * removal then fails with ENOTEMPTY, as it did in fleet-firmware.test.ts); it is tried again.
 */
const removeDirectory = (): void => {
  try {
    rmSync(directory, { recursive: true, force: true });
  } catch {
    rmSync(directory, { recursive: true, force: true, maxRetries: 5 });
  }
};

const stopAll = async (): Promise<void> => {
  for (const s of stations) await s.stop();
  await fleet.close();
};

if (scenario !== 'download' && scenario !== 'retrying') {
  for (const h of held) h.release();
  await waitFor(changes, () => (installing.length === 2 ? true : undefined), 'both installs', 30_000);
  if (scenario !== 'install') for (const answer of installing) answer('Installed');
}
await csms.close();
await server.close();
removeDirectory();
if (scenario === 'reconnecting') {
  const links = new EventTarget();
  for (const s of stations) s.on('connection', () => links.dispatchEvent(new Event('change')));
  await waitFor(links, () => (stations.every((s) => !s.isConnected) ? true : undefined), 'both offline', 30_000);
}
if (scenario === 'install') {
  const stopping = stopAll();
  await afterTurns(turns);
  for (const answer of installing) answer('Installed');
  await stopping;
} else {
  await afterTurns(turns);
  await stopAll();
}

process.stdout.write(`stopped ${JSON.stringify(alive())}\n`);
// A host removes the station's files once it stopped: nothing may make them again.
removeDirectory();
const lateTimers: string[] = [];
reportLateTimers((stack) => lateTimers.push(stack));
process.on('exit', () => {
  process.stdout.write(`exited ${JSON.stringify({ recreated: existsSync(directory), lateTimers })}\n`);
});
