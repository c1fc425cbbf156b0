/**
 * The outgoing queue of a real station (ChargePoint on its SQLite file, test CSMS over a websocket):
 * a durable message that can never be sent, or a damaged stored row, does not hold back the durable
 * messages after it (A04.FR.02 guaranteed delivery of security events), and is reported precisely.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { RpcInvalidMessageError } from '../../src/rpc/errors.js';
import { StoredMessageError } from '../../src/queue/stored-message.js';
import { registered } from './csms-helpers.js';
import { startHarness } from './station-harness.js';

const typeOf = (payload: unknown) => (payload as { type: string }).type;

/** Rows of the station's message queue table, read with a second connection. */
function queueRows(file: string): Array<{ id: number; payload_json: string }> {
  const sqlite = new Database(file, { readonly: true });
  try {
    return sqlite.prepare('SELECT id, payload_json FROM message_queue ORDER BY id').all() as Array<{
      id: number;
      payload_json: string;
    }>;
  } finally {
    sqlite.close();
  }
}

test('A04.FR.02: a security event failing its schema is reported and does not block later ones', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  await h.csms.waitForCall('SecurityEventNotification', (c) => typeOf(c.payload) === 'StartupOfTheDevice');

  // SecurityEventNotificationRequest.type is string[50].
  await h.station.onSecurityEvent('X'.repeat(51), 'too long a type');
  const refused = h.errors.find((e) => e instanceof RpcInvalidMessageError);
  assert.ok(refused instanceof RpcInvalidMessageError, `reported: ${h.errors.map(String).join('; ')}`);
  assert.equal(refused.action, 'SecurityEventNotification');
  assert.equal(refused.code, 'PropertyConstraintViolation');
  assert.match(refused.message, /\/type: must NOT have more than 50 characters/);

  await h.station.onSecurityEvent('TamperDetectionActivated', 'cover opened');
  await h.csms.waitForCall(
    'SecurityEventNotification',
    (c) => typeOf(c.payload) === 'TamperDetectionActivated',
  );
  assert.ok(!queueRows(h.dbPath).some((r) => r.payload_json.includes('X'.repeat(51))), 'never stored');

  // Nothing left behind that the next run would have to send first.
  await h.restart();
  await h.csms.waitForCall('SecurityEventNotification', (c) => typeOf(c.payload) === 'StartupOfTheDevice');
  assert.ok(!h.csms.calls.some((c) => typeOf(c.payload ?? {}) === 'X'.repeat(51)));
  assert.deepEqual(h.csms.validationFailures, []);
});

test('a damaged stored row is reported by table, row and column, kept, and the rows after it are sent', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const sqlite = new Database(h.dbPath);
  const insert = sqlite.prepare(
    `INSERT INTO message_queue (station_id, message_id, action, payload_json, kind, dedupe_key, attempts, next_attempt_at, created_at)
     VALUES (?, ?, 'SecurityEventNotification', ?, 'normal', NULL, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
  );
  const damaged = Number(insert.run(h.identity, 'damaged-1', '{"type":"Firmw').lastInsertRowid);
  insert.run(
    h.identity,
    'intact-1',
    JSON.stringify({ type: 'FirmwareUpdated', timestamp: '2026-01-01T00:00:00Z' }),
  );
  sqlite.close();

  // The station runtime does not pass the queue an onError yet (the lead wires it to the station's
  // onError); until then the queue's default, console.error, receives the report.
  const logged = t.mock.method(console, 'error', () => undefined);
  await h.restart();
  const restored = await h.csms.waitForCall(
    'SecurityEventNotification',
    (c) => typeOf(c.payload) === 'FirmwareUpdated',
  );
  assert.equal(restored.messageId, 'intact-1', 'sent with its stored message id');
  const reports = [...h.errors, ...logged.mock.calls.flatMap((call) => call.arguments as unknown[])];
  logged.mock.restore();
  const reported = reports.find((e) => e instanceof StoredMessageError);
  assert.ok(reported instanceof StoredMessageError, `reported: ${reports.map(String).join('; ')}`);
  assert.deepEqual(
    [reported.table, reported.rowId, reported.field],
    ['message_queue', damaged, 'payload_json'],
  );
  assert.ok(
    queueRows(h.dbPath).some((r) => r.id === damaged),
    'the damaged row stays in the table for inspection',
  );
});
