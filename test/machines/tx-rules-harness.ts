/**
 * A small harness for the pure transaction rules (machines/transaction-rules.ts): builds a session,
 * drives a sequence of facts through `transactionStep` (stamping each with a station time one
 * second after the one before unless it carries its own), and shows every TransactionEvent as one
 * line so that a table of cases can state exactly what must be sent.
 *
 * The line lists only the fields that are present, in a fixed order:
 * `Started CablePluggedIn #0 cs=EVConnected evse=1/1 id=TOKEN rsi=7 res=3 sr=Local meter=begin`
 * (`evse=1` without a connector; `id=` the idToken string; `meter=` the kinds of meter data joined
 * with `+`, left out when there are none).
 */
import {
  initialTransactionContext,
  transactionStep,
  type TransactionContext,
  type TransactionEvent,
  type TransactionInput,
  type TxEffect,
  type TxEventParams,
  type TxSettings,
} from '../../machines/transaction-rules.js';
import { addSeconds } from '../../machines/deadline.js';
import type { IdTokenType, ReasonEnumType } from '../../src/generated/ocpp-types.js';
import { AT, TX_SETTINGS } from './tx-settings-fixture.js';

/** The station time of the first fact; later ones follow a second apart. */
export const T0 = AT;

/** `T0` plus `s` seconds. */
export const at = (s: number) => addSeconds(T0, s);

export const TOKEN: IdTokenType = { idToken: 'TOKEN', type: 'ISO14443' };
export const TOKEN2: IdTokenType = { idToken: 'TOKEN2', type: 'ISO14443' };
export const GROUP: IdTokenType = { idToken: 'GROUP', type: 'Central' };
export const MASTER: IdTokenType = { idToken: 'MASTER', type: 'ISO14443' };

type WithoutAt<E> = E extends unknown ? Omit<E, 'at'> & { at?: string } : never;
/** A fact for the harness: a TransactionEvent whose `at` may be left to the harness. */
export type Fact = WithoutAt<TransactionEvent>;

// Facts of the hardware, the driver and the CSMS.
export const plug = (connectorId = 1, energyWh?: number): Fact => ({
  type: 'ev.connected',
  connectorId,
  ...(energyWh === undefined ? {} : { energyWh }),
});
export const unplug = (connectorId = 1): Fact => ({ type: 'ev.disconnected', connectorId });
export const park = (): Fact => ({ type: 'bay.occupied' });
export const unpark = (): Fact => ({ type: 'bay.vacated' });
export const auth = (idToken: IdTokenType = TOKEN, extra: { groupIdToken?: IdTokenType; reservationId?: number } = {}): Fact => ({
  type: 'auth.accepted',
  idToken,
  ...extra,
});
export const remoteStart = (
  remoteStartId = 7,
  idToken: IdTokenType = TOKEN,
  extra: { groupIdToken?: IdTokenType; reservationId?: number } = {},
): Fact => ({ type: 'auth.remoteStart', idToken, remoteStartId, ...extra });
/** The driver ends the authorization with `idToken` (null: without one, e.g. a stop button). */
export const stopBy = (idToken: IdTokenType | null = TOKEN, reason: 'Local' | 'MasterPass' = 'Local'): Fact => ({
  type: 'auth.stop',
  ...(idToken ? { idToken } : {}),
  reason,
});
export const remoteStop = (): Fact => ({ type: 'remote.stop' });
export const charging = (state: 'Charging' | 'SuspendedEV' | 'SuspendedEVSE' | null = 'Charging', energyWh?: number): Fact => ({
  type: 'charging.state',
  state,
  ...(energyWh === undefined ? {} : { energyWh }),
});
export const signed = (): Fact => ({ type: 'meter.signed' });
export const energy = (energyWh: number): Fact => ({ type: 'meter.energy', energyWh });
export const lockFailed = (): Fact => ({ type: 'connector.lockFailed' });
export const faulted = (reason?: ReasonEnumType): Fact => ({
  type: 'connector.faulted',
  ...(reason ? { reason } : {}),
});
export const answered = (
  seqNo: number,
  status: 'Accepted' | 'Invalid' | 'Blocked' | 'Expired' | 'Unknown' | 'NoCredit' = 'Accepted',
  extra: { energyWh?: number; groupIdToken?: IdTokenType } = {},
): Fact => ({
  type: 'tx.answered',
  seqNo,
  idTokenInfo: { status, ...(extra.groupIdToken ? { groupIdToken: extra.groupIdToken } : {}) },
  ...(extra.energyWh === undefined ? {} : { energyWh: extra.energyWh }),
});
export const trigger = (): Fact => ({ type: 'trigger.transactionEvent' });
export const reset = (): Fact => ({ type: 'reset.immediate' });
export const tick = (
  type: 'timer.evConnection' | 'timer.periodic' | 'timer.clock' | 'timer.endedSample' | 'timer.alignedEndedSample',
  when?: string,
): Fact => ({ type, ...(when === undefined ? {} : { at: when }) });

/** Settings: the fixture's defaults with `patch` over them. */
export const settings = (patch: Partial<TxSettings> = {}): TxSettings => ({ ...TX_SETTINGS, ...patch });

/** A fresh session (opened at T0) on EVSE 1 with `patch` over the default settings. */
export function session(
  patch: Partial<TxSettings> = {},
  input: Partial<Omit<TransactionInput, 'settings'>> = {},
): TransactionContext {
  return initialTransactionContext({
    evseId: 1,
    transactionId: 'tx-1',
    at: T0,
    ...input,
    settings: settings(patch),
  });
}

export interface Run {
  context: TransactionContext;
  /** Every TransactionEvent of the run, in order. */
  events: TxEventParams[];
  /** Every effect of the run, in order. */
  effects: TxEffect[];
  /** The events of each fact, one entry per fact. */
  perFact: TxEventParams[][];
  /** The effects of each fact, one entry per fact. */
  effectsPerFact: TxEffect[][];
  /** The station time of the last fact. */
  last: string;
}

/**
 * Drives `facts` through `transactionStep` from `context`. A fact without `at` happens one second
 * after the one before (the first at `from`, T0 + 1 s by default).
 */
export function drive(context: TransactionContext, facts: readonly Fact[], from = at(1)): Run {
  let c = context;
  let when = from;
  let first = true;
  const run: Run = { context: c, events: [], effects: [], perFact: [], effectsPerFact: [], last: when };
  for (const fact of facts) {
    if (!first && !('at' in fact && fact.at !== undefined)) when = addSeconds(when, 1);
    first = false;
    if ('at' in fact && fact.at !== undefined) when = fact.at;
    const event = (fact.type === 'settings.changed' ? fact : { ...fact, at: when }) as TransactionEvent;
    const step = transactionStep(c, event);
    c = step.context;
    run.events.push(...step.events);
    run.effects.push(...step.effects);
    run.perFact.push(step.events);
    run.effectsPerFact.push(step.effects);
  }
  run.context = c;
  run.last = when;
  return run;
}

/** `drive` from a fresh session with `patch` over the default settings. */
export const play = (patch: Partial<TxSettings>, facts: readonly Fact[], input: Partial<Omit<TransactionInput, 'settings'>> = {}) =>
  drive(session(patch, input), facts);

/** One TransactionEvent as one line (see the file comment). */
export function line(e: TxEventParams): string {
  const parts = [e.eventType, e.triggerReason, `#${e.seqNo}`];
  if (e.chargingState !== undefined) parts.push(`cs=${e.chargingState}`);
  if (e.evse !== undefined) parts.push(`evse=${e.evse.id}${e.evse.connectorId === undefined ? '' : `/${e.evse.connectorId}`}`);
  if (e.idToken !== undefined) parts.push(`id=${e.idToken.idToken}`);
  if (e.remoteStartId !== undefined) parts.push(`rsi=${e.remoteStartId}`);
  if (e.reservationId !== undefined) parts.push(`res=${e.reservationId}`);
  if (e.stoppedReason !== undefined) parts.push(`sr=${e.stoppedReason}`);
  if (e.meter.length > 0) parts.push(`meter=${e.meter.join('+')}`);
  return parts.join(' ');
}

/** Every TransactionEvent of a run as lines. */
export const lines = (run: Pick<Run, 'events'>) => run.events.map(line);

/** The effects as short strings: `permitted:true`, `unlock:1`, `lockedFor:1:TOKEN`, `started`, `ended:Local`, `sample:periodic`. */
export function effectLine(effect: TxEffect): string {
  switch (effect.kind) {
    case 'permitted':
      return `permitted:${effect.permitted}`;
    case 'unlock':
      return `unlock:${effect.connectorId}`;
    case 'lockedFor':
      return `lockedFor:${effect.connectorId}:${effect.idToken.idToken}`;
    case 'recordSample':
      return `sample:${effect.sample}`;
    case 'started':
      return 'started';
    case 'ended':
      return `ended:${effect.reason}`;
  }
}

export const effectLines = (run: Pick<Run, 'effects'>) => run.effects.map(effectLine);

/** The usual "EnergyTransferStarted" path for the default start point (PowerPathClosed): authorize, plug, charge. */
export const charged = (): Fact[] => [auth(), plug(), charging('Charging')];

/**
 * One row of a sequence table: a fact, the TransactionEvents it must send (lines joined with
 * ` | `, '' for none) and, when given, its effects (joined with `,`, '' for none).
 */
export type Expect = readonly [fact: Fact, events: string, effects?: string];

/**
 * Drives the facts of `rows` from a fresh session with `patch` over the default settings and
 * asserts, fact by fact, the events (and effects where a row states them).
 */
export function expectRows(
  assert: { deepEqual(actual: unknown, expected: unknown, message?: string): void },
  patch: Partial<TxSettings>,
  rows: readonly Expect[],
  input: Partial<Omit<TransactionInput, 'settings'>> = {},
): Run {
  return expectRowsFrom(assert, session(patch, input), rows);
}

/** `expectRows` from a given context. */
export function expectRowsFrom(
  assert: { deepEqual(actual: unknown, expected: unknown, message?: string): void },
  context: TransactionContext,
  rows: readonly Expect[],
  from = at(1),
): Run {
  const run = drive(
    context,
    rows.map(([fact]) => fact),
    from,
  );
  rows.forEach(([fact, events, effects], i) => {
    const label = `fact ${i} (${fact.type})`;
    assert.deepEqual(run.perFact[i]?.map(line).join(' | '), events, `${label}: events`);
    if (effects !== undefined) {
      assert.deepEqual(run.effectsPerFact[i]?.map(effectLine).join(','), effects, `${label}: effects`);
    }
  });
  return run;
}

/** The rows of `charged()` with the default start point (PowerPathClosed): Started at the plug, then Charging. */
export const CHARGED: readonly Expect[] = [
  [auth(), '', ''],
  [plug(), 'Started CablePluggedIn #0 cs=SuspendedEVSE evse=1/1 id=TOKEN meter=begin', 'started,permitted:true'],
  [charging(), 'Updated ChargingStateChanged #1 cs=Charging', ''],
];

/** Every kind of fact once (for "nothing happens after" checks). */
export const EVERY_FACT: readonly Fact[] = [
  plug(),
  park(),
  auth(),
  remoteStart(),
  charging(),
  signed(),
  energy(1e9),
  lockFailed(),
  { type: 'connector.faultCleared' },
  answered(0, 'Invalid'),
  trigger(),
  stopBy(),
  remoteStop(),
  charging('SuspendedEV'),
  unplug(),
  unpark(),
  { type: 'host.start' },
  { type: 'host.finish', reason: 'Local' },
  faulted(),
  reset(),
];
