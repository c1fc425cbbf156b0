/**
 * C10.FR.02 / D01.FR.10 through a power loss: the CLI (a child process, `--json`) gets a Local
 * Authorization List from the strict test CSMS and caches a token from an Authorize answer, is
 * SIGKILLed, and is started again on the same `--db`: the list (version and entries) and the cache
 * entry are still there, and the cached token is accepted without asking the CSMS again.
 *
 * Everything waits for JSON events, CSMS calls or changes of the database directory; nothing sleeps.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { is, killAll, startAcceptedCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';
import type { CliEvent } from '../../src/cli/cli-events.js';
import { startTestCsms, waitFor } from '../../src/testing/index.js';
import type {
  GetLocalListVersionResponse,
  GetVariablesResponse,
  SendLocalListResponse,
} from '../../src/generated/ocpp-types.js';

const processes: CliProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await killAll(processes);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const startCli = (args: string[]) => startAcceptedCli(processes, args);

async function run(p: CliProcess, line: string): Promise<Extract<CliEvent, { type: 'command' }>> {
  const since = p.mark();
  p.send(line);
  const result = (await p.waitFor(`result of '${line}'`, is.command(line), since)) as Extract<
    CliEvent,
    { type: 'command' }
  >;
  assert.equal(result.ok, true, `'${line}': ${result.message}`);
  return result;
}

/** Resolves once the station's database holds a cache row for `idToken` (read by a second connection). */
async function cacheRowStored(db: string, stationId: string, idToken: string): Promise<void> {
  const changes = new EventTarget();
  // A commit appends to the write-ahead log.
  const wal = `${path.basename(db)}-wal`;
  const watcher = watch(path.dirname(db), (_event, file) => {
    if (file === wal) changes.dispatchEvent(new Event('change'));
  });
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  const rows = sqlite.prepare('SELECT id_token_json FROM auth_cache_entry WHERE station_id = ?');
  const probe = (): true | undefined =>
    (rows.all(stationId) as Array<{ id_token_json: string }>).some(
      (r) => (JSON.parse(r.id_token_json) as { idToken: string }).idToken === idToken,
    )
      ? true
      : undefined;
  try {
    await waitFor(changes, probe, `the cache row of ${idToken} in ${db}`, WAIT_MS);
  } finally {
    watcher.close();
    sqlite.close();
  }
}

test('C10.FR.02, D01.FR.10 (TC_C_32_CS, TC_D_07_CS): after SIGKILL the Local Authorization List and the Authorization Cache are still there', async () => {
  const server = await startTestCsms();
  cleanups.push(() => server.close());
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-auth-power-loss-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'station.db');
  const stationId = 'PL-AUTH';
  const args = ['--csms', server.url, '--id', stationId, '--db', db];
  const authorizeCount = () =>
    server.calls.filter((c) => c.identity === stationId && c.action === 'Authorize').length;

  const first = await startCli(args);
  const sent = (await server.call(stationId, 'SendLocalList', {
    versionNumber: 5,
    updateType: 'Full',
    localAuthorizationList: [
      { idToken: { idToken: 'LIST-1', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } },
      { idToken: { idToken: 'LIST-2', type: 'ISO14443' }, idTokenInfo: { status: 'Blocked' } },
    ],
  })) as SendLocalListResponse;
  assert.equal(sent.status, 'Accepted');
  const stored = cacheRowStored(db, stationId, 'CACHED-1');
  const authorized = await run(first, 'auth CACHED-1 ISO14443 1');
  assert.equal((authorized.data as { action: string }).action, 'started');
  assert.equal(authorizeCount(), 1);
  await stored;
  const before = (await run(first, 'status')).data as { localListVersion: number; authCacheSize: number };
  assert.deepEqual([before.localListVersion, before.authCacheSize], [5, 1]);
  first.kill('SIGKILL');
  assert.equal((await first.exited).signal, 'SIGKILL');

  const second = await startCli(args);
  const afterKill = (await run(second, 'status')).data as { localListVersion: number; authCacheSize: number };
  assert.deepEqual(
    [afterKill.localListVersion, afterKill.authCacheSize],
    [5, 1],
    'status after the power loss',
  );
  const version = (await server.call(stationId, 'GetLocalListVersion', {})) as GetLocalListVersionResponse;
  assert.equal(version.versionNumber, 5);
  const entries = (await server.call(stationId, 'GetVariables', {
    getVariableData: [{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Entries' } }],
  })) as GetVariablesResponse;
  assert.equal(entries.getVariableResult[0].attributeValue, '2');
  // EVSE 2: the session CACHED-1 authorized on EVSE 1 before the kill is not the one asked about.
  const again = await run(second, 'auth CACHED-1 ISO14443 2');
  assert.equal((again.data as { action: string }).action, 'started');
  const listedToken = await run(second, 'auth LIST-2 ISO14443 1');
  assert.equal(
    (listedToken.data as { status: string }).status,
    'Accepted',
    'LIST-2 is Blocked in the list: checked with the CSMS (C14.FR.03), which accepts',
  );
  assert.equal(authorizeCount(), 2, 'only LIST-2 was asked for: CACHED-1 came from the cache');
  assert.deepEqual(server.validationFailures, []);
  second.kill('SIGKILL');
  await second.exited;
});
