/**
 * Helpers of the transaction integration tests (transactions-*.test.ts): a station with quiet meter
 * timers, the TransactionEventRequests the CSMS received, a wait until the station has nothing left
 * to say, and a checker of an exact TransactionEvent sequence written from the rules of
 * docs/transactions.md and the Part 6 test cases (not from the implementation's output).
 */
import { once } from 'node:events';
import assert from 'node:assert/strict';
import type {
  ChargingStateEnumType,
  IdTokenType,
  MeterValueType,
  ReasonEnumType,
  ResetEnumType,
  TransactionEventEnumType,
  TransactionEventRequest,
  TransactionEventResponse,
  TriggerReasonEnumType,
} from '../../src/generated/ocpp-types.js';
import type { ChargePointCallbacks } from '../../src/callbacks.js';
import { registered } from './csms-helpers.js';
import { recorder, type Recorder } from './recorder.js';
import { startHarness, type Harness, type HarnessOptions } from './station-harness.js';

export const TOKEN: IdTokenType = { idToken: 'TOKEN-1', type: 'ISO14443' };
export const OTHER_TOKEN: IdTokenType = { idToken: 'TOKEN-2', type: 'ISO14443' };

/**
 * No meter value timer runs unless a test asks for one: no periodic or clock-aligned events can
 * slip into a sequence (the example configuration aligns every 900 s, which a test could cross).
 */
export const QUIET = [
  'AlignedDataCtrlr.Interval=0',
  'AlignedDataCtrlr.TxEndedInterval=0',
  'SampledDataCtrlr.TxUpdatedInterval=0',
  'SampledDataCtrlr.TxEndedInterval=0',
];

/** A station started with QUIET (a test's own `set` value of the same variable wins), registered. */
export async function startTxHarness(options: HarnessOptions = {}): Promise<Harness> {
  const variableOf = (assignment: string) => assignment.slice(0, assignment.indexOf('='));
  const own = new Set((options.set ?? []).map(variableOf));
  const h = await startHarness({
    ...options,
    set: [...QUIET.filter((a) => !own.has(variableOf(a))), ...(options.set ?? [])],
  });
  if (!options.noStart) await registered(h);
  return h;
}

/** The TransactionEventRequests the CSMS received so far (optionally of one transaction), in order of arrival. */
export function txEvents(h: Harness, transactionId?: string): TransactionEventRequest[] {
  return h.csms.calls
    .filter((c) => c.identity === h.identity && c.action === 'TransactionEvent')
    .map((c) => c.payload as TransactionEventRequest)
    .filter((e) => transactionId === undefined || e.transactionInfo.transactionId === transactionId);
}

/**
 * Like txEvents, but a retransmission (the same message id: a message whose answer was lost to a
 * restart is sent again, at least once delivery, docs/message-queue.md) counts once; it is checked
 * to be the very same payload.
 */
export function txEventsOnce(h: Harness, transactionId?: string): TransactionEventRequest[] {
  const seen = new Map<string, TransactionEventRequest>();
  const out: TransactionEventRequest[] = [];
  for (const c of h.csms.calls) {
    if (c.identity !== h.identity || c.action !== 'TransactionEvent') continue;
    const payload = c.payload as TransactionEventRequest;
    const earlier = seen.get(c.messageId);
    if (earlier) {
      assert.deepEqual(payload, earlier, `a retransmission of ${c.messageId} is the same message`);
      continue;
    }
    seen.set(c.messageId, payload);
    if (transactionId === undefined || payload.transactionInfo.transactionId === transactionId)
      out.push(payload);
  }
  return out;
}

/** The next TransactionEvent the CSMS receives (walks the log like waitForCall). */
export async function nextTx(
  h: Harness,
  predicate: (e: TransactionEventRequest) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<TransactionEventRequest> {
  const call = await h.csms.waitForCall(
    'TransactionEvent',
    (c) => predicate(c.payload as TransactionEventRequest),
    timeoutMs,
  );
  return call.payload as TransactionEventRequest;
}

/**
 * Waits until the station has nothing left to send: every state write done, no delivery in flight
 * and the queue empty (answers can make a session say more, e.g. E05). Online only.
 */
export async function settle(h: Harness): Promise<void> {
  const runtime = h.station.station;
  let quietRounds = 0;
  for (let round = 0; round < 200 && quietRounds < 2; round++) {
    await runtime.persistence.flushed();
    await runtime.queue.idle();
    await new Promise((resolve) => setImmediate(resolve));
    quietRounds = runtime.queue.size === 0 ? quietRounds + 1 : 0;
  }
  assert.equal(runtime.queue.size, 0, 'the station still has messages queued');
}

/** One expected TransactionEvent. */
export interface ExpectedTx {
  eventType: TransactionEventEnumType;
  triggerReason: TriggerReasonEnumType;
  /**
   * The charging state at that moment. It must be in the message in Started, Ended, every
   * ChargingStateChanged (and Trigger) event and when it changed (E02.FR.13); elsewhere it may be
   * left out, and if given it must be this value.
   */
  cs: ChargingStateEnumType;
  /** 'required': the test's token (E03.FR.01); 'optional': absent or the test's token (E07.FR.02); default: absent. */
  idToken?: 'required' | 'optional';
  /** Required with exactly this value (E01.FR.16); when not given, an evse present must be this EVSE. */
  evse?: { id: number; connectorId?: number };
  stoppedReason?: ReasonEnumType;
  remoteStartId?: number;
  offline?: boolean;
}

/** A compact line per event for failure messages. */
export function describeTx(events: readonly TransactionEventRequest[]): string {
  return events
    .map((e) =>
      [
        e.seqNo,
        e.eventType,
        e.triggerReason,
        e.transactionInfo.chargingState ?? '-',
        e.idToken ? `id=${e.idToken.idToken}` : '',
        e.evse ? `evse=${e.evse.id}/${e.evse.connectorId ?? '-'}` : '',
        e.transactionInfo.stoppedReason ? `sR=${e.transactionInfo.stoppedReason}` : '',
        e.transactionInfo.remoteStartId !== undefined ? `rSI=${e.transactionInfo.remoteStartId}` : '',
        e.offline ? 'offline' : '',
      ]
        .filter((part) => part !== '')
        .join(' '),
    )
    .join('\n');
}

/**
 * Checks one transaction's events against the expected sequence: same transactionId, seqNo 0, 1, 2, ...
 * (E01.FR.07 and Part 6 §2.1), and each event's fields as ExpectedTx says.
 */
export function assertTxSequence(
  events: readonly TransactionEventRequest[],
  expected: readonly ExpectedTx[],
  options: { token?: IdTokenType; evseId?: number; label?: string } = {},
): void {
  const token = options.token ?? TOKEN;
  const evseId = options.evseId ?? 1;
  const where = `${options.label ? `${options.label}\n` : ''}received:\n${describeTx(events)}`;
  assert.equal(events.length, expected.length, `number of TransactionEvents\n${where}`);
  const ids = new Set(events.map((e) => e.transactionInfo.transactionId));
  assert.equal(ids.size, 1, `one transactionId\n${where}`);
  let previous: ChargingStateEnumType | undefined;
  expected.forEach((x, i) => {
    const e = events[i]!;
    const at = `event ${i}\n${where}`;
    assert.equal(e.seqNo, i, `seqNo of ${at}`);
    assert.equal(e.eventType, x.eventType, `eventType of ${at}`);
    assert.equal(e.triggerReason, x.triggerReason, `triggerReason of ${at}`);
    const cs = e.transactionInfo.chargingState;
    const csRequired =
      x.eventType !== 'Updated' ||
      x.triggerReason === 'ChargingStateChanged' ||
      x.triggerReason === 'Trigger' ||
      x.cs !== previous;
    if (csRequired || cs !== undefined) assert.equal(cs, x.cs, `chargingState of ${at}`);
    previous = x.cs;
    if (x.idToken === 'required') assert.deepEqual(e.idToken, token, `idToken of ${at}`);
    else if (x.idToken === 'optional' && e.idToken !== undefined)
      assert.deepEqual(e.idToken, token, `idToken of ${at}`);
    else if (x.idToken === undefined) assert.equal(e.idToken, undefined, `no idToken in ${at}`);
    if (x.evse) assert.deepEqual(e.evse, x.evse, `evse of ${at}`);
    else if (e.evse) assert.equal(e.evse.id, evseId, `evse.id of ${at}`);
    assert.equal(e.transactionInfo.stoppedReason, x.stoppedReason, `stoppedReason of ${at}`);
    assert.equal(e.transactionInfo.remoteStartId, x.remoteStartId, `remoteStartId of ${at}`);
    assert.equal(e.offline ?? false, x.offline ?? false, `offline of ${at}`);
  });
}

/** A plain reading of the energy register (Wh). */
export function energyReading(wh: number, timestamp = new Date().toISOString()): MeterValueType {
  return {
    timestamp,
    sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }],
  };
}

/** A signed reading of the energy register (DataSigned, E01.FR.04; TC_E_11). */
export function signedReading(wh: number, timestamp = new Date().toISOString()): MeterValueType {
  return {
    timestamp,
    sampledValue: [
      {
        value: wh,
        measurand: 'Energy.Active.Import.Register',
        unitOfMeasure: { unit: 'Wh' },
        signedMeterValue: {
          signedMeterData: Buffer.from(`signed:${wh}`).toString('base64'),
          signingMethod: 'ECDSA-secp256r1-SHA256',
          encodingMethod: 'OCMF',
          publicKey: Buffer.from('public-key').toString('base64'),
        },
      },
    ],
  };
}

/** The contexts of the sampled values of an event's meter values, in order. */
export function meterContexts(e: TransactionEventRequest): string[] {
  return (e.meterValue ?? []).flatMap((m) => m.sampledValue.map((v) => v.context ?? 'Sample.Periodic'));
}

/** Ends a test: nothing the CSMS received or sent failed strict validation, nothing was reported. */
export function assertClean(h: Harness): void {
  assert.deepEqual(h.csms.validationFailures, [], 'strict validation failures');
  assert.deepEqual(h.errors, [], 'errors reported by the station');
}

/** What the station's callbacks reported, in order (transaction events as produced, link changes, ...). */
export interface TxHost {
  /** Every TransactionEventRequest as the station produced it, with the link state the host last saw. */
  produced: Recorder<{ request: TransactionEventRequest; linkUp: boolean }>;
  link: Recorder<boolean>;
  permitted: Recorder<{ evseId: number; permitted: boolean }>;
  unlocks: Recorder<{ evseId: number; connectorId: number }>;
  resets: Recorder<{ evseId: number | undefined; type: ResetEnumType }>;
  callbacks: ChargePointCallbacks;
}

/** Host callbacks that record what the station tells its host; `extra` callbacks are kept. */
export function txHost(extra: ChargePointCallbacks = {}): TxHost {
  const produced = recorder<{ request: TransactionEventRequest; linkUp: boolean }>();
  const link = recorder<boolean>();
  const permitted = recorder<{ evseId: number; permitted: boolean }>();
  const unlocks = recorder<{ evseId: number; connectorId: number }>();
  const resets = recorder<{ evseId: number | undefined; type: ResetEnumType }>();
  let linkUp = false;
  return {
    produced,
    link,
    permitted,
    unlocks,
    resets,
    callbacks: {
      unlockConnectorCallback: (evseId, connectorId) => {
        unlocks.push({ evseId, connectorId });
        return { status: 'Unlocked' };
      },
      ...extra,
      resetCallback: async (evseId, type) => {
        await extra.resetCallback?.(evseId, type);
        resets.push({ evseId, type });
      },
      transactionEventCallback: (request) => {
        produced.push({ request, linkUp });
        extra.transactionEventCallback?.(request);
      },
      connectionStateChangedCallback: (up, slot, profile) => {
        linkUp = up;
        link.push(up);
        extra.connectionStateChangedCallback?.(up, slot, profile);
      },
      chargingPermittedChangedCallback: (evseId, isPermitted) => {
        permitted.push({ evseId, permitted: isPermitted });
        extra.chargingPermittedChangedCallback?.(evseId, isPermitted);
      },
    },
  };
}

/** The answer the test CSMS gives by default to a TransactionEvent (Accepted for a token). */
export function acceptedTxAnswer(request: TransactionEventRequest): TransactionEventResponse {
  return request.idToken ? { idTokenInfo: { status: 'Accepted' } } : {};
}

/**
 * The CSMS holds back its answers to TransactionEvents until `release()` (a TransactionEvent in
 * flight, E14.FR.04); `answer` decides what it then says.
 */
export function holdTransactionEvents(
  h: Harness,
  answer: (request: TransactionEventRequest) => TransactionEventResponse = acceptedTxAnswer,
): { release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  h.csms.onCall('TransactionEvent', async (call) => {
    await gate;
    return answer(call.payload as TransactionEventRequest);
  });
  return { release: () => release() };
}

/**
 * The events of {@link startCharging} on EVSE 1 with the example's TxStartPoint PowerPathClosed:
 * Started at the token (SuspendedEVSE: the power path counts as closed, nothing flows yet), then
 * Updated Charging.
 */
export const CHARGING: readonly ExpectedTx[] = [
  {
    eventType: 'Started',
    triggerReason: 'Authorized',
    cs: 'SuspendedEVSE',
    idToken: 'required',
    evse: { id: 1, connectorId: 1 },
  },
  { eventType: 'Updated', triggerReason: 'ChargingStateChanged', cs: 'Charging' },
];

/**
 * Plug, present TOKEN, energy flows (TxStartPoint PowerPathClosed, the example's: Started at the
 * token, then Updated Charging); resolves with the transactionId once both events were answered.
 */
export async function startCharging(h: Harness, evseId = 1, token: IdTokenType = TOKEN): Promise<string> {
  h.station.onSessionStarted(evseId, 1);
  const presented = await h.station.onAuthorizationPresented(token, evseId);
  assert.equal(presented.action, 'started');
  h.station.onEnergyTransferStarted(evseId);
  await settle(h);
  const transactionId = h.station.getTransactionId(evseId);
  assert.ok(transactionId, `a transaction runs on EVSE ${evseId}`);
  return transactionId;
}

/**
 * The station closes its websocket (libocpp disconnect_websocket); the host and the CSMS have both
 * seen it (so that `waitForClient` finds the next connection, not this one).
 */
export async function goOffline(h: Harness, host: TxHost): Promise<void> {
  const from = host.link.items.length;
  const old = h.csms.clients.get(h.identity);
  const closed = old ? once(old, 'close') : Promise.resolve();
  h.station.disconnectWebsocket();
  await host.link.waitFor((up) => !up, 'the link to go down', { from });
  await closed;
}
