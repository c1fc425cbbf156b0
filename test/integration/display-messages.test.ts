/**
 * Display messages (O01–O06, TC_O_*_CS) against a real station and the strict test CSMS: the
 * statuses of SetDisplayMessage, GetDisplayMessages → NotifyDisplayMessages in parts,
 * ClearDisplayMessage, replacement, AlwaysFront, time windows, transaction-bound messages and
 * persistence across a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  ClearDisplayMessageResponse,
  GetDisplayMessagesRequest,
  GetDisplayMessagesResponse,
  MessageInfoType,
  NotifyDisplayMessagesRequest,
  SetDisplayMessageResponse,
} from '../../src/generated/ocpp-types.js';
import { registered } from './csms-helpers.js';
import { recorder } from './recorder.js';
import { startHarness, type Harness } from './station-harness.js';
import { assertClean, settle, startCharging, startTxHarness, TOKEN } from './transactions-helpers.js';

function message(id: number, extra: Partial<MessageInfoType> = {}): MessageInfoType {
  return { id, priority: 'NormalCycle', message: { format: 'UTF8', content: `message ${id}` }, ...extra };
}

async function setMessage(h: Harness, m: MessageInfoType): Promise<SetDisplayMessageResponse> {
  return (await h.csms.call(h.identity, 'SetDisplayMessage', { message: m })) as SetDisplayMessageResponse;
}

async function getMessages(h: Harness, request: GetDisplayMessagesRequest): Promise<GetDisplayMessagesResponse> {
  return (await h.csms.call(h.identity, 'GetDisplayMessages', request)) as GetDisplayMessagesResponse;
}

/** Every NotifyDisplayMessagesRequest of `requestId`, once the last part (tbc absent/false) arrived. */
async function report(h: Harness, requestId: number): Promise<NotifyDisplayMessagesRequest[]> {
  const parts: NotifyDisplayMessagesRequest[] = [];
  for (;;) {
    const call = await h.csms.waitForCall(
      'NotifyDisplayMessages',
      (c) => (c.payload as NotifyDisplayMessagesRequest).requestId === requestId,
    );
    const part = call.payload as NotifyDisplayMessagesRequest;
    parts.push(part);
    if (!part.tbc) return parts;
  }
}

async function started(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(options);
  await registered(h);
  return h;
}

test('O01.FR.12, O03.FR.01/02 (TC_O_01_CS, TC_O_02_CS): a NormalCycle message is stored, shown and reported in NotifyDisplayMessages', async (t) => {
  const shown = recorder<MessageInfoType[]>();
  const h = await started({ station: { callbacks: { displayMessagesChangedCallback: (m) => shown.push(m) } } });
  t.after(() => h.close());
  assert.deepEqual(await setMessage(h, message(1, { message: { format: 'UTF8', language: 'en', content: 'Welcome' } })), {
    status: 'Accepted',
  });
  await shown.waitFor((m) => m.length === 1 && m[0]?.id === 1, 'the host told to show message 1');
  assert.deepEqual(h.station.screen().messages.map((m) => m.message.content), ['Welcome']);
  assert.equal(h.station.deviceModel.get({ component: 'DisplayMessageCtrlr', variable: 'DisplayMessages' }), '1');
  assert.equal((await getMessages(h, { requestId: 11 })).status, 'Accepted');
  const parts = await report(h, 11);
  assert.deepEqual(parts, [{ requestId: 11, messageInfo: [message(1, { message: { format: 'UTF8', language: 'en', content: 'Welcome' } })] }]);
  // A message for another state: the host gets it (it filters by its own state), the screen of an Idle station does not show it.
  await setMessage(h, message(2, { state: 'Charging' }));
  await shown.waitFor((m) => m.map((x) => x.id).join() === '1,2', 'the host told of message 2');
  assert.deepEqual(h.station.screen().messages.map((m) => m.id), [1]);
  assertClean(h);
});

test('O03.FR.06, O04.FR.02/07: GetDisplayMessages is Unknown without messages or without a match; no NotifyDisplayMessages', async (t) => {
  const h = await started();
  t.after(() => h.close());
  assert.equal((await getMessages(h, { requestId: 1 })).status, 'Unknown');
  await setMessage(h, message(3));
  assert.equal((await getMessages(h, { requestId: 2, id: [4] })).status, 'Unknown');
  assert.equal((await getMessages(h, { requestId: 3, priority: 'InFront' })).status, 'Unknown');
  assert.equal((await getMessages(h, { requestId: 4, state: 'Charging' })).status, 'Unknown');
  await settle(h);
  assert.equal(h.csms.calls.filter((c) => c.action === 'NotifyDisplayMessages').length, 0);
  assertClean(h);
});

test('O04.FR.01/03–06 (TC_O_07_CS…): matching by id, priority and state; split at ItemsPerMessage with tbc and the requestId', async (t) => {
  const h = await started({ set: ['DeviceDataCtrlr.ItemsPerMessage[GetReport]=2'] });
  t.after(() => h.close());
  for (const m of [
    message(1),
    message(2, { priority: 'InFront' }),
    message(3, { state: 'Idle' }),
    message(4),
    message(5),
  ]) {
    assert.equal((await setMessage(h, m)).status, 'Accepted');
  }
  assert.equal((await getMessages(h, { requestId: 20, id: [2, 3] })).status, 'Accepted');
  assert.deepEqual((await report(h, 20)).flatMap((p) => p.messageInfo?.map((m) => m.id) ?? []), [2, 3]);
  assert.equal((await getMessages(h, { requestId: 21, priority: 'InFront' })).status, 'Accepted');
  assert.deepEqual((await report(h, 21)).map((p) => p.messageInfo?.map((m) => m.id)), [[2]]);
  assert.equal((await getMessages(h, { requestId: 22, state: 'Idle' })).status, 'Accepted');
  assert.deepEqual((await report(h, 22)).map((p) => p.messageInfo?.map((m) => m.id)), [[3]]);
  assert.equal((await getMessages(h, { requestId: 23 })).status, 'Accepted');
  const parts = await report(h, 23);
  assert.deepEqual(
    parts.map((p) => [p.requestId, p.tbc ?? false, p.messageInfo?.map((m) => m.id)]),
    [
      [23, true, [1, 2]],
      [23, true, [3, 4]],
      [23, false, [5]],
    ],
  );
  assertClean(h);
});

test('O01.FR.01/02/03 (TC_O_17_CS, TC_O_18_CS, TC_O_19_CS): unsupported priority, state and format; Rejected while DisplayMessageCtrlr is disabled', async (t) => {
  const h = await started({
    set: ['DisplayMessageCtrlr.SupportedPriorities=NormalCycle', 'DisplayMessageCtrlr.SupportedStates=Charging,Idle'],
  });
  t.after(() => h.close());
  assert.equal((await setMessage(h, message(1, { priority: 'AlwaysFront' }))).status, 'NotSupportedPriority');
  assert.equal((await setMessage(h, message(2, { state: 'Faulted' }))).status, 'NotSupportedState');
  assert.equal(
    (await setMessage(h, message(3, { message: { format: 'HTML', content: '<b>x</b>' } }))).status,
    'NotSupportedMessageFormat',
  );
  const disabled = await h.station.deviceModel.set(
    { component: 'DisplayMessageCtrlr', variable: 'Enabled' },
    'false',
    'host',
  );
  assert.equal(disabled, 'Accepted');
  const refused = await setMessage(h, message(4));
  assert.equal(refused.status, 'Rejected');
  assert.equal(refused.statusInfo?.reasonCode, 'NotEnabled');
  assert.equal((await getMessages(h, { requestId: 1 })).status, 'Unknown');
  assertClean(h);
});

test('O01.FR.22/23: a message for a display the device model has is kept; one for an unknown display is Rejected', async (t) => {
  const h = await started();
  t.after(() => h.close());
  // The example device model has no Display component; EVSE 1 is a component it has.
  const unknown = await setMessage(h, message(1, { display: { name: 'Display', instance: 'rear' } }));
  assert.deepEqual(unknown.status, 'Rejected');
  assert.equal(unknown.statusInfo?.reasonCode, 'UnknownComponent');
  assert.equal((await setMessage(h, message(2, { display: { name: 'EVSE', evse: { id: 1 } } }))).status, 'Accepted');
  assert.deepEqual(h.station.screen().messages.map((m) => m.display), [{ name: 'EVSE', evse: { id: 1 } }]);
  assertClean(h);
});

test('O05.FR.01/02, O06.FR.01 (TC_O_04_CS, TC_O_05_CS, TC_O_12_CS): replace by id, clear Accepted then Unknown', async (t) => {
  const h = await started();
  t.after(() => h.close());
  await setMessage(h, message(7));
  assert.equal((await setMessage(h, message(7, { priority: 'InFront', message: { format: 'ASCII', content: 'new' } }))).status, 'Accepted');
  assert.deepEqual(h.station.screen().messages, [message(7, { priority: 'InFront', message: { format: 'ASCII', content: 'new' } })]);
  const clear = (id: number) => h.csms.call(h.identity, 'ClearDisplayMessage', { id }) as Promise<ClearDisplayMessageResponse>;
  assert.deepEqual(await clear(7), { status: 'Accepted' });
  assert.deepEqual(await clear(7), { status: 'Unknown' });
  assert.deepEqual(h.station.screen().messages, []);
  assertClean(h);
});

test('O01.FR.13/15/16 (TC_O_24_CS): display order AlwaysFront, InFront, NormalCycle; a second AlwaysFront replaces the first', async (t) => {
  const h = await started();
  t.after(() => h.close());
  await setMessage(h, message(1));
  await setMessage(h, message(2, { priority: 'InFront' }));
  await setMessage(h, message(3, { priority: 'AlwaysFront' }));
  assert.deepEqual(h.station.screen().messages.map((m) => m.id), [3, 2, 1]);
  assert.equal((await setMessage(h, message(4, { priority: 'AlwaysFront' }))).status, 'Accepted');
  assert.deepEqual(h.station.screen().messages.map((m) => m.id), [4, 2, 1]);
  assert.equal((await getMessages(h, { requestId: 5, id: [3] })).status, 'Unknown');
  assert.equal((await getMessages(h, { requestId: 6, id: [4] })).status, 'Accepted');
  assert.deepEqual((await report(h, 6)).map((p) => p.messageInfo?.map((m) => m.id)), [[4]]);
  assertClean(h);
});

test('O01.FR.06/07 (TC_O_13_CS, TC_O_14_CS): not shown before startDateTime, removed after endDateTime', async (t) => {
  const shown = recorder<MessageInfoType[]>();
  const h = await started({ station: { callbacks: { displayMessagesChangedCallback: (m) => shown.push(m) } } });
  t.after(() => h.close());
  const now = h.station.clock.nowMs();
  const later = new Date(now + 3_600_000).toISOString();
  assert.equal((await setMessage(h, message(1, { startDateTime: later }))).status, 'Accepted');
  assert.deepEqual(h.station.screen().messages, [], 'not before its start');
  assert.equal((await getMessages(h, { requestId: 1, id: [1] })).status, 'Accepted', 'configured, though not shown');
  await report(h, 1);
  const soon = new Date(now + 1_500).toISOString();
  assert.equal((await setMessage(h, message(2, { endDateTime: soon }))).status, 'Accepted');
  assert.deepEqual(h.station.screen().messages.map((m) => m.id), [2]);
  const withTwo = await shown.waitFor((m) => m.some((x) => x.id === 2), 'message 2 shown');
  const from = shown.items.indexOf(withTwo) + 1;
  await shown.waitFor((m) => m.length === 0, 'message 2 removed at its end', { from, timeoutMs: 20_000 });
  assert.equal((await getMessages(h, { requestId: 2, id: [2] })).status, 'Unknown');
  assert.equal(h.station.deviceModel.get({ component: 'DisplayMessageCtrlr', variable: 'DisplayMessages' }), '1');
  assertClean(h);
});

test('O01.FR.10/O02.FR.10 (TC_O_20_CS): stored messages survive a restart', async (t) => {
  const h = await started();
  t.after(() => h.close());
  await setMessage(h, message(1, { priority: 'InFront' }));
  await setMessage(h, message(2));
  await h.restart();
  await registered(h);
  assert.deepEqual(h.station.screen().messages.map((m) => m.id), [1, 2]);
  assert.equal((await getMessages(h, { requestId: 9 })).status, 'Accepted');
  assert.deepEqual((await report(h, 9)).flatMap((p) => p.messageInfo?.map((m) => m.id) ?? []), [1, 2]);
  assertClean(h);
});

test('O02.FR.01/02 (TC_O_10_CS, TC_O_06_CS): unknown transaction refused; a transaction message is removed when its transaction ends', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  assert.equal((await setMessage(h, message(1, { transactionId: 'no-such-transaction' }))).status, 'UnknownTransaction');
  const transactionId = await startCharging(h);
  assert.equal((await setMessage(h, message(2, { transactionId, priority: 'AlwaysFront' }))).status, 'Accepted');
  await setMessage(h, message(3));
  assert.deepEqual(h.station.screen().messages.map((m) => m.id), [2, 3]);
  await h.station.onAuthorizationPresented(TOKEN, 1);
  await settle(h);
  assert.deepEqual(h.station.screen().messages.map((m) => m.id), [3]);
  assert.equal((await getMessages(h, { requestId: 4, id: [2] })).status, 'Unknown');
  assertClean(h);
});

test('O01.FR.11: a message over NumberOfDisplayMessages maxLimit is Rejected; a replacement is not counted', async (t) => {
  const h = await started();
  t.after(() => h.close());
  const max = 50; // config/component-config: DisplayMessageCtrlr.DisplayMessages maxLimit
  for (let id = 1; id <= max; id++) assert.equal((await setMessage(h, message(id))).status, 'Accepted', `message ${id}`);
  const refused = await setMessage(h, message(max + 1));
  assert.equal(refused.status, 'Rejected');
  assert.equal(refused.statusInfo?.reasonCode, 'OutOfStorage');
  assert.equal((await setMessage(h, message(max, { priority: 'InFront' }))).status, 'Accepted');
  assertClean(h);
});

test('O: host-owned messages (getDisplayMessageCallback registered, libocpp): the host stores, answers and lists them', async (t) => {
  const hostMessages: MessageInfoType[] = [];
  const h = await started({
    station: {
      callbacks: {
        getDisplayMessageCallback: (request) => hostMessages.filter((m) => request.id === undefined || request.id.includes(m.id)),
        setDisplayMessageCallback: (messages) => {
          hostMessages.push(...messages);
          return { status: 'Accepted' };
        },
        clearDisplayMessageCallback: ({ id }) => {
          const index = hostMessages.findIndex((m) => m.id === id);
          if (index < 0) return { status: 'Unknown' };
          hostMessages.splice(index, 1);
          return { status: 'Accepted' };
        },
      },
    },
  });
  t.after(() => h.close());
  // The library still checks the request against the device model first (O01.FR.03).
  assert.equal((await setMessage(h, message(1, { message: { format: 'HTML', content: 'x' } }))).status, 'NotSupportedMessageFormat');
  assert.equal((await setMessage(h, message(2))).status, 'Accepted');
  assert.deepEqual(hostMessages.map((m) => m.id), [2]);
  assert.equal((await getMessages(h, { requestId: 3 })).status, 'Accepted');
  assert.deepEqual((await report(h, 3)).flatMap((p) => p.messageInfo?.map((m) => m.id) ?? []), [2]);
  assert.deepEqual(await h.csms.call(h.identity, 'ClearDisplayMessage', { id: 2 }), { status: 'Accepted' });
  assert.equal((await getMessages(h, { requestId: 4 })).status, 'Unknown');
  assert.deepEqual(h.station.screen().messages, [], 'nothing stored by the library');
  assertClean(h);
});

test('TC_O_36–39_CS (O01.FR.02 states): a message with a state is shown only while the station is in it: Idle, Charging, Faulted, Unavailable', async (t) => {
  const h = await startTxHarness();
  t.after(() => h.close());
  for (const [id, state] of [[1, 'Idle'], [2, 'Charging'], [3, 'Faulted'], [4, 'Unavailable']] as const)
    assert.equal((await setMessage(h, message(id, { state }))).status, 'Accepted', state);
  const shownIds = () => h.station.screen().messages.map((m) => m.id);
  const status = (evseId: number, connectorStatus: string) =>
    h.csms.waitForCall('StatusNotification', (c) => {
      const p = c.payload as { evseId: number; connectorStatus: string };
      return p.evseId === evseId && p.connectorStatus === connectorStatus;
    });
  assert.deepEqual(shownIds(), [1], 'idle: no transaction');

  h.station.onFaulted(2, 1);
  await status(2, 'Faulted');
  assert.deepEqual(shownIds(), [1, 3], 'a connector is Faulted');
  h.station.onFaultCleared(2, 1);
  await status(2, 'Available');
  assert.deepEqual(shownIds(), [1]);

  assert.deepEqual(await h.csms.call(h.identity, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }), {
    status: 'Accepted',
  });
  await status(2, 'Unavailable');
  assert.deepEqual(shownIds(), [1, 4], 'a connector is Unavailable');
  await h.csms.call(h.identity, 'ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 2 } });
  await settle(h);

  await startCharging(h);
  assert.deepEqual(shownIds(), [2], 'charging: Charging shown, Idle no longer');
  assertClean(h);
});
