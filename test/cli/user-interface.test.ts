/**
 * The CLI's user-interface commands in a child process (`--json`) against the strict test CSMS:
 * `customer add` + CustomerInformation report and clear (N09/N10), and `display` printing the
 * screen (O01–O06 messages in display order, I tariff and cost texts), each ending with its
 * `command` event; display messages are still shown after a restart on the same `--db`.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { is, killAll, startAcceptedCli, type CliProcess } from './helpers/cli-process.js';
import type { CliEvent } from '../../src/cli/cli-events.js';
import { startTestCsms, type TestCsms } from '../../src/testing/index.js';
import type { NotifyCustomerInformationRequest } from '../../src/generated/ocpp-types.js';
import { NO_DATA_TEXT } from '../../src/customer/customer-information.js';

const processes: CliProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  await killAll(processes);
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setup(stationId: string): Promise<{ csms: TestCsms; args: string[] }> {
  const csms = await startTestCsms();
  cleanups.push(() => csms.close());
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-cli-ui-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return { csms, args: ['--csms', csms.url, '--id', stationId, '--db', path.join(dir, 'station.db')] };
}

/** Sends a line; resolves with the events it printed, its `command` event last. */
async function run(p: CliProcess, line: string): Promise<CliEvent[]> {
  const since = p.mark();
  p.send(line);
  const result = await p.waitFor(`result of '${line}'`, is.command(line), since);
  assert.equal(result.type === 'command' && result.ok, true, `'${line}': ${JSON.stringify(result)}`);
  const end = p.events.indexOf(result);
  return p.events.slice(since, end + 1).filter((e) => e.type === 'display' || e === result);
}

/** The `display` events without their time stamps. */
function shown(events: CliEvent[]): unknown[] {
  return events.filter((e) => e.type === 'display').map(({ time: _time, stationId: _station, ...rest }) => rest);
}

test('N09/N10 (TC_N_62_CS) via CLI: `customer add` data is reported by CustomerInformation, then cleared', async () => {
  const stationId = 'CLI-CUST';
  const { csms, args } = await setup(stationId);
  const p = await startAcceptedCli(processes, args);
  const added = await run(p, 'customer add cust-42 Jane Doe, card ending 1234');
  assert.equal(added.at(-1)?.type, 'command');
  const notify = async (requestId: number) =>
    (
      await csms.waitForCall(
        'NotifyCustomerInformation',
        (c) => (c.payload as NotifyCustomerInformationRequest).requestId === requestId,
      )
    ).payload as NotifyCustomerInformationRequest;

  assert.deepEqual(
    await csms.call(stationId, 'CustomerInformation', { requestId: 1, report: true, clear: true, customerIdentifier: 'cust-42' }),
    { status: 'Accepted' },
  );
  assert.equal((await notify(1)).data, 'Jane Doe, card ending 1234');
  await csms.call(stationId, 'CustomerInformation', { requestId: 2, report: true, clear: false, customerIdentifier: 'cust-42' });
  assert.equal((await notify(2)).data, NO_DATA_TEXT, 'cleared by the first request');
  assert.deepEqual(csms.validationFailures, []);
});

test('O/I via CLI: `display` prints the messages in display order, then the tariff and cost texts; messages survive a restart', async () => {
  const stationId = 'CLI-DISPLAY';
  const { csms, args } = await setup(stationId);
  const withTariff = [
    ...args,
    '--set',
    'TariffCostCtrlr.Enabled[Tariff]=true',
    '--set',
    'TariffCostCtrlr.Enabled[Cost]=true',
    '--set',
    'CustomizationCtrlr.CustomImplementationEnabled[org.openchargealliance.costmsg]=true',
  ];
  const p = await startAcceptedCli(processes, withTariff);
  const empty = await run(p, 'display');
  assert.deepEqual(shown(empty), []);
  assert.equal(empty.at(-1)?.type, 'command');

  const set = (message: unknown) => csms.call(stationId, 'SetDisplayMessage', { message });
  assert.deepEqual(await set({ id: 1, priority: 'NormalCycle', message: { format: 'UTF8', language: 'en', content: 'Welcome' } }), {
    status: 'Accepted',
  });
  assert.deepEqual(await set({ id: 2, priority: 'AlwaysFront', state: 'Idle', message: { format: 'ASCII', content: 'Maintenance at 18:00' } }), {
    status: 'Accepted',
  });
  // Bound to a state the station is not in: stored, not shown.
  await set({ id: 3, priority: 'InFront', state: 'Faulted', message: { format: 'UTF8', content: 'Out of order' } });

  csms.onCall('Authorize', () => ({
    idTokenInfo: { status: 'Accepted', personalMessage: { format: 'UTF8', language: 'en', content: '0.30 EUR/kWh' } },
  }));
  await run(p, 'plug 1');
  await run(p, 'auth DRIVER-1');
  const transactionId = (
    (await csms.waitForCall('TransactionEvent', (c) => (c.payload as { eventType: string }).eventType === 'Started'))
      .payload as { transactionInfo: { transactionId: string } }
  ).transactionInfo.transactionId;
  // California pricing: the CSMS's pricing fields come with the running cost onto the screen.
  const pricing = { chargingPrice: { kWhPrice: 0.3, hourPrice: 0, flatFee: 0 }, idlePrice: { graceMinutes: 10, hourPrice: 6 } };
  assert.deepEqual(
    await csms.call(stationId, 'CostUpdated', { transactionId, totalCost: 1.5, customData: { vendorId: 'org.openchargealliance.costmsg', ...pricing } }),
    {},
  );
  assert.deepEqual(await set({ id: 4, priority: 'InFront', transactionId, message: { format: 'UTF8', content: 'Charging on EVSE 1' } }), {
    status: 'Accepted',
  });

  const screen = await run(p, 'display');
  assert.equal(screen.at(-1)?.type, 'command', 'the command event comes last');
  assert.deepEqual(shown(screen), [
    // Idle no longer holds (a transaction runs): message 2 is hidden; 4 (InFront) before 1 (NormalCycle).
    { type: 'display', id: 4, priority: 'InFront', state: null, format: 'UTF8', language: null, content: 'Charging on EVSE 1', transactionId, evseId: 1 },
    { type: 'display', id: 1, priority: 'NormalCycle', state: null, format: 'UTF8', language: 'en', content: 'Welcome' },
    // Tariff and cost texts in the shape of any display message (issue 11), with negative ids.
    {
      type: 'display',
      id: -2,
      priority: 'NormalCycle',
      state: null,
      format: 'UTF8',
      language: 'en',
      content: '0.30 EUR/kWh',
      kind: 'tariff',
      source: 'tariff',
      idToken: 'DRIVER-1',
    },
    {
      type: 'display',
      id: -1,
      priority: 'NormalCycle',
      state: 'Charging',
      format: 'UTF8',
      language: null,
      content: '1.50 EUR',
      transactionId,
      evseId: 1,
      kind: 'cost',
      costState: 'Charging',
      cost: 1.5,
      currency: 'EUR',
      pricing,
    },
  ]);
  // Every display event has the keys, in its order, whatever it shows.
  for (const e of shown(screen) as Record<string, unknown>[]) {
    assert.deepEqual(Object.keys(e).slice(0, 7), ['type', 'id', 'priority', 'state', 'format', 'language', 'content']);
    assert.equal(typeof e['id'], 'number');
  }

  // A restart on the same database: the stored messages are back (the transaction message too, its transaction resumes).
  p.send('quit');
  await p.exited;
  const again = await startAcceptedCli(processes, withTariff);
  const ids = shown(await run(again, 'display'))
    .filter((e) => !(e as { kind?: string }).kind)
    .map((e) => (e as { id: number }).id);
  assert.ok(ids.includes(1), `message 1 shown after the restart: ${JSON.stringify(ids)}`);
  assert.deepEqual(csms.validationFailures, []);
});
