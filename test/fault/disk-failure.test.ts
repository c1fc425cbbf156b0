/**
 * Fault test (issue 9): the database becomes read-only, or the disk is full, while the station runs.
 * Every CSMS request whose effect must be stored is then refused (a CALLERROR or a refusing status),
 * the failure is reported locally as a StoreError, the station keeps running, and after the disk
 * is writable again and the station restarts nothing the CSMS was told is missing, nothing it was
 * not told is there.
 *
 * Read-only: SQLite's `query_only` pragma on the station's own connection (the same SQLITE_READONLY
 * failure a read-only file gives; the tests run as root, which file modes do not stop). Full:
 * `max_page_count` pinned to the current size (SQLITE_FULL as on a full disk).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStationDatabase, StoreError, type StationDatabase } from '../../src/index.js';
import { sqliteHandle } from '../../src/store/sqlite-handle.js';
import { PersistenceError } from '../../src/runtime/persistence-error.js';
import { startHarness, type Harness } from '../integration/station-harness.js';

type Answer = { status?: string; [key: string]: unknown } | { callError: string };

async function ask(h: Harness, action: string, payload: unknown): Promise<Answer> {
  try {
    return (await h.csms.call(h.identity, action, payload, { timeoutMs: 30_000 })) as Answer;
  } catch (error) {
    const code =
      (error as { rpcErrorCode?: string; code?: string }).rpcErrorCode ?? (error as { code?: string }).code;
    return { callError: String(code ?? (error as Error).message) };
  }
}

const accepted = (answer: Answer) => 'status' in answer && answer.status === 'Accepted';

/** The requests of the test, each with how to tell afterwards whether its effect was stored. */
const REQUESTS: Array<{
  name: string;
  action: string;
  payload: unknown;
  stored: (h: Harness) => Promise<boolean>;
  /** Some answers carry their status per item. */
  acknowledged?: (answer: Answer) => boolean;
}> = [
  {
    name: 'SetVariables EVConnectionTimeOut',
    action: 'SetVariables',
    payload: {
      setVariableData: [
        { component: { name: 'TxCtrlr' }, variable: { name: 'EVConnectionTimeOut' }, attributeValue: '4321' },
      ],
    },
    acknowledged: (answer) =>
      'setVariableResult' in answer &&
      (answer.setVariableResult as Array<{ attributeStatus: string }>)[0]?.attributeStatus === 'Accepted',
    stored: async (h) => {
      const answer = (await h.csms.call(h.identity, 'GetVariables', {
        getVariableData: [{ component: { name: 'TxCtrlr' }, variable: { name: 'EVConnectionTimeOut' } }],
      })) as { getVariableResult: Array<{ attributeValue?: string }> };
      return answer.getVariableResult[0]?.attributeValue === '4321';
    },
  },
  {
    name: 'SendLocalList version 77',
    action: 'SendLocalList',
    payload: {
      versionNumber: 77,
      updateType: 'Full',
      // Entries enough to need new pages (within BytesPerMessageSendLocalList).
      localAuthorizationList: Array.from({ length: 30 }, (_, i) => ({
        idToken: { idToken: `DISK-${String(i).padStart(20, '0')}`, type: 'ISO14443' },
        idTokenInfo: { status: 'Accepted' },
      })),
    },
    stored: async (h) =>
      ((await h.csms.call(h.identity, 'GetLocalListVersion', {})) as { versionNumber: number })
        .versionNumber === 77,
  },
  {
    // The first list fits in the empty root page of its table; this one needs new pages.
    name: 'SendLocalList Differential version 78',
    action: 'SendLocalList',
    payload: {
      versionNumber: 78,
      updateType: 'Differential',
      localAuthorizationList: Array.from({ length: 30 }, (_, i) => ({
        idToken: { idToken: `DISK-DIFF-${String(i).padStart(15, '0')}`, type: 'ISO14443' },
        idTokenInfo: { status: 'Accepted' },
      })),
    },
    stored: async (h) =>
      ((await h.csms.call(h.identity, 'GetLocalListVersion', {})) as { versionNumber: number })
        .versionNumber === 78,
  },
  {
    name: 'SetChargingProfile TxDefaultProfile',
    action: 'SetChargingProfile',
    payload: {
      evseId: 0,
      chargingProfile: {
        id: 9001,
        stackLevel: 1,
        chargingProfilePurpose: 'TxDefaultProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [
          {
            id: 1,
            startSchedule: '2026-01-01T00:00:00.000Z',
            chargingRateUnit: 'A',
            chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
          },
        ],
      },
    },
    stored: async (h) => {
      let reported = false;
      h.csms.onCall('ReportChargingProfiles', () => {
        reported = true;
        return {};
      });
      const answer = (await h.csms.call(h.identity, 'GetChargingProfiles', {
        requestId: 5,
        chargingProfile: { chargingProfileId: [9001] },
      })) as { status: string };
      if (answer.status !== 'Accepted') return false;
      await h.csms.waitForCall('ReportChargingProfiles');
      return reported;
    },
  },
  {
    name: 'ChangeAvailability EVSE 2 Inoperative',
    action: 'ChangeAvailability',
    payload: { operationalStatus: 'Inoperative', evse: { id: 2 } },
    stored: async (h) => h.station.connectorStatus(2, 1) === 'Unavailable',
  },
];

async function run(
  t: { after(fn: () => Promise<void>): void; diagnostic(msg: string): void },
  failure: 'readonly' | 'full',
) {
  const file = `disk-failure-${failure}`;
  let store: StationDatabase | null = null;
  const h = await startHarness({
    noStart: true,
    station: {},
  });
  store = await openStationDatabase(h.dbPath);
  await h.restart({ database: store });
  t.after(async () => {
    await h.close();
    await store?.close();
  });
  await h.csms.waitForCall('BootNotification');

  const sqlite = sqliteHandle(store);
  if (failure === 'readonly') sqlite.pragma('query_only = ON');
  else {
    // A full disk: the file may not grow, and every free page is taken.
    sqlite.exec('CREATE TABLE IF NOT EXISTS disk_filler (junk BLOB)');
    const pages = sqlite.pragma('page_count', { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
    const fill = sqlite.prepare('INSERT INTO disk_filler (junk) VALUES (randomblob(?))');
    for (const size of [65_536, 4_096, 512, 64, 8]) {
      for (;;) {
        try {
          fill.run(size);
        } catch (error) {
          assert.match((error as Error).message, /full/, 'the disk is full');
          break;
        }
      }
    }
  }
  t.diagnostic(
    `pages ${String(sqlite.pragma('page_count', { simple: true }))} of max ${String(sqlite.pragma('max_page_count', { simple: true }))}, free ${String(sqlite.pragma('freelist_count', { simple: true }))}`,
  );
  const errorsBefore = h.errors.length;
  const answers: Array<{ name: string; answer: Answer; acknowledged: boolean }> = [];
  for (const request of REQUESTS) {
    const answer = await ask(h, request.action, request.payload);
    const acknowledged = request.acknowledged ? request.acknowledged(answer) : accepted(answer);
    answers.push({ name: request.name, answer, acknowledged });
  }
  t.diagnostic(`${file}: ${answers.map((a) => `${a.name} -> ${JSON.stringify(a.answer)}`).join('; ')}`);
  if (failure === 'full') {
    assert.ok(
      answers.some((a) => !a.acknowledged),
      'a full disk refuses at least the writes that need new pages',
    );
  }
  if (failure === 'readonly') {
    for (const a of answers)
      assert.equal(a.acknowledged, false, `${a.name}: nothing can be stored, nothing is acknowledged`);
    const storeErrors = h.errors
      .slice(errorsBefore)
      .filter((e) => e instanceof StoreError || e instanceof PersistenceError);
    assert.ok(storeErrors.length > 0, 'the failures are reported (StoreError / PersistenceError)');
  }
  // The station still answers.
  const heartbeat = (await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' })) as {
    status: string;
  };
  assert.equal(heartbeat.status, 'Accepted');

  // The disk works again; a restart reads what was stored.
  if (failure === 'readonly') sqlite.pragma('query_only = OFF');
  else sqlite.pragma('max_page_count = 1073741823');
  await h.restart({ database: store });
  await h.csms.waitForCall('BootNotification', (c) => c.identity === h.identity);
  for (const [i, request] of REQUESTS.entries()) {
    const stored = await request.stored(h);
    assert.equal(
      stored,
      answers[i]!.acknowledged,
      `${request.name}: stored exactly when acknowledged (${JSON.stringify(answers[i]!.answer)})`,
    );
  }
}

test('disk read-only while running: every request refused, StoreErrors reported, nothing half-stored', (t) =>
  run(t, 'readonly'));
test('disk full while running: what is acknowledged is stored, what is not is not', (t) => run(t, 'full'));
