import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SecurityEventNotificationRequest } from '../../src/generated/ocpp-types.js';
import { startHarness } from './station-harness.js';

test('A01: a new BasicAuthPassword is stored, logged without its value, and used at once for a new connection', async (t) => {
  // The CSMS's password table: mutable, read at every websocket upgrade.
  const passwords: Record<string, string> = { 'CS-A01': 'DEADBEEFDEADBEEF' };
  const log: Array<{ type: string; techInfo: string | undefined }> = [];
  const h = await startHarness({
    identity: 'CS-A01',
    csms: { passwords },
    station: { callbacks: { securityEventCallback: (type, techInfo) => log.push({ type, techInfo }) } },
  });
  t.after(() => h.close());
  await h.csms.waitForCall('StatusNotification');
  const firstClient = await h.csms.waitForClient('CS-A01');

  // A01.FR.03: once Accepted, the CSMS no longer accepts the old credentials.
  passwords['CS-A01'] = 'CAFEBABECAFEBABE';
  const response = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      {
        component: { name: 'SecurityCtrlr' },
        variable: { name: 'BasicAuthPassword' },
        attributeValue: 'CAFEBABECAFEBABE',
      },
    ],
  })) as { setVariableResult: Array<{ attributeStatus: string }> };
  assert.equal(response.setVariableResult[0]?.attributeStatus, 'Accepted');

  // The station connects again with the new password (a reconnect is no reboot: no BootNotification).
  const deadline = Date.now() + 10_000;
  while (h.csms.clients.get('CS-A01') === firstClient || !h.csms.clients.get('CS-A01')) {
    if (Date.now() > deadline) throw new Error('the station did not reconnect with the new password');
    await new Promise((r) => setTimeout(r, 20));
  }
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' });
  await h.csms.waitForCall('Heartbeat');
  assert.equal(h.csms.calls.filter((c) => c.action === 'BootNotification').length, 1);
  assert.equal(
    h.station.deviceModel.get({ component: 'SecurityCtrlr', variable: 'BasicAuthPassword' }),
    'CAFEBABECAFEBABE',
  );

  // A01.FR.11/12: the security log has the change, never the password.
  const entry = log.find((e) => e.type === 'ReconfigurationOfSecurityParameters');
  assert.ok(entry, 'ReconfigurationOfSecurityParameters logged');
  assert.ok(!JSON.stringify(log).includes('CAFEBABE'), 'the password is not in the log');
  // Not critical (appendix 1): not sent to the CSMS.
  assert.ok(
    !h.csms.calls.some(
      (c) =>
        c.action === 'SecurityEventNotification' &&
        (c.payload as SecurityEventNotificationRequest).type === 'ReconfigurationOfSecurityParameters',
    ),
  );
  assert.deepEqual(h.csms.validationFailures, []);
});
