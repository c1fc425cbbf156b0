/**
 * The station's display messages (O01–O06). Two modes, chosen by the host's callbacks
 * (docs/display-messages.md, "Who stores the messages"):
 *
 * - Library-owned (default): the library checks, stores (SQLite, O01.FR.10), expires (O01.FR.07),
 *   removes transaction-bound messages when their transaction ends (O02.FR.02) and tells the host
 *   what to show through `displayMessagesChangedCallback`. A registered `setDisplayMessageCallback`
 *   / `clearDisplayMessageCallback` is asked first and may refuse (its status is the answer).
 * - Host-owned (`getDisplayMessageCallback` registered, as in libocpp): the library checks the
 *   request against the device model and hands the message to the host, which stores and shows it;
 *   GetDisplayMessages reads the host's list and ClearDisplayMessage is the host's answer.
 */
import type { DerivationList } from '../device-model/model-index.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import type {
  ClearDisplayMessageResponse,
  ComponentType,
  GetDisplayMessagesRequest,
  MessageInfoType,
  MessageStateEnumType,
  SetDisplayMessageResponse,
} from '../generated/ocpp-types.js';
import { deriveList, type DeviceModelPort } from '../runtime/ports.js';
import type { TimerScheduler } from '../runtime/timers.js';
import type { DisplayMessageStore } from '../store/display-messages.js';
import {
  checkSetDisplayMessage,
  displayOrder,
  expired,
  matchesRequest,
  nextBoundaryMs,
  replacedBy,
  shownNow,
} from './display-rules.js';
import { readDisplaySettings, UI_VARIABLES } from './display-settings.js';

/**
 * Is `component` in the device model? A GetVariables of a variable no component has answers
 * UnknownComponent when the component itself is missing, UnknownVariable when it exists.
 */
function componentKnown(dm: DeviceModelPort, component: ComponentType): boolean {
  try {
    const [result] = dm.getVariables({
      getVariableData: [{ component, variable: { name: '__DisplayMessagesProbe' } }],
    }).getVariableResult;
    return result?.attributeStatus !== 'UnknownComponent';
  } catch {
    return false;
  }
}

/** Longest single wait of the boundary timer (a far endDateTime is re-checked, not overflowed). */
const MAX_WAIT_MS = 24 * 3600 * 1000;

export interface DisplayMessagesOptions {
  store: DisplayMessageStore;
  deviceModel: DeviceModelPort;
  callbacks: ChargePointCallbacks;
  clock: StationClock;
  timers: TimerScheduler;
  /** O02.FR.01: is this a transaction the station has open? */
  transactionKnown(transactionId: string): boolean;
  /** The states the station is in now (MessageStateEnumType), for messages bound to a state. */
  stationStates(): ReadonlySet<MessageStateEnumType>;
  reportError(error: unknown): void;
}

/**
 * @example
 * const display = new DisplayMessages({ store, deviceModel, callbacks, clock, timers, transactionKnown, stationStates, reportError });
 * await display.load();
 * await display.set({ id: 1, priority: 'NormalCycle', message: { format: 'UTF8', content: 'Welcome' } });
 * display.shown(); // [{ id: 1, ... }]
 */
export class DisplayMessages {
  private messages: MessageInfoType[] = [];
  /** NumberOfDisplayMessages, derived from this object (one list for every station: issue 9). */
  private static readonly DERIVED: DerivationList<DisplayMessages> = [
    [UI_VARIABLES.displayMessages, (display) => String(display.messages.length)],
  ];
  private timer: unknown = null;
  /** Mutations one at a time: a Set racing a Clear or an expiry stays consistent with the store. */
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: DisplayMessagesOptions) {}

  /** libocpp mode: the host stores the messages (getDisplayMessageCallback registered). */
  get hostOwned(): boolean {
    return this.options.callbacks.getDisplayMessageCallback !== undefined;
  }

  /** Loads the stored messages (dropping expired ones) and makes DisplayMessages count them. */
  async load(): Promise<void> {
    this.messages = await this.options.store.load();
    // NumberOfDisplayMessages: "amount of different messages that are currently configured".
    const dm = this.options.deviceModel;
    if (!this.hostOwned) deriveList(dm, DisplayMessages.DERIVED, this);
    await this.expire();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Every stored message (library-owned mode), in the order they were set. */
  all(): MessageInfoType[] {
    return [...this.messages];
  }

  /**
   * What the screen shows now: started, not ended, in the station's state, in display order
   * (AlwaysFront, InFront, NormalCycle). Empty in host-owned mode (the host knows).
   */
  shown(): MessageInfoType[] {
    return this.inWindow(this.options.stationStates());
  }

  /** The messages within their time window (and, when `states` is given, in one of them), in display order. */
  private inWindow(states?: ReadonlySet<MessageStateEnumType>): MessageInfoType[] {
    const now = this.options.clock.nowMs();
    return displayOrder(this.messages.filter((m) => shownNow(m, now, states)));
  }

  /** O01/O02/O06: SetDisplayMessage; the response status. */
  set(message: MessageInfoType): Promise<SetDisplayMessageResponse> {
    return this.serial(async () => {
      const { options } = this;
      const check = checkSetDisplayMessage(message, {
        settings: readDisplaySettings(options.deviceModel),
        transactionKnown: (id) => options.transactionKnown(id),
        displayKnown: (display) => componentKnown(options.deviceModel, display),
        stored: this.hostOwned ? [] : this.messages,
      });
      if (check.status !== 'Accepted') return check;
      const host = options.callbacks.setDisplayMessageCallback;
      if (this.hostOwned) {
        // libocpp: without a host to store it, the message cannot be kept.
        if (!host) return { status: 'Rejected', statusInfo: { reasonCode: 'InternalError', additionalInfo: 'no setDisplayMessageCallback' } };
        return host([message]);
      }
      if (host) {
        const answer = await host([message]);
        if (answer.status !== 'Accepted') return answer;
      }
      const replaced = this.messages.filter((m) => replacedBy(m, message)).map((m) => m.id);
      await options.store.put(message, options.clock.nowIso(), replaced);
      this.messages = [
        ...this.messages.filter((m) => m.id !== message.id && !replaced.includes(m.id)),
        message,
      ];
      this.changed();
      return { status: 'Accepted' };
    });
  }

  /** O03/O04: the messages matching a GetDisplayMessagesRequest. */
  async get(request: GetDisplayMessagesRequest): Promise<MessageInfoType[]> {
    const host = this.options.callbacks.getDisplayMessageCallback;
    if (host) return host(request);
    await this.chain;
    const now = this.options.clock.nowMs();
    return this.messages.filter((m) => !expired(m, now) && matchesRequest(m, request));
  }

  /** O05: ClearDisplayMessage (Accepted, or Unknown when no message has that id). */
  clear(id: number): Promise<ClearDisplayMessageResponse> {
    return this.serial(async () => {
      const host = this.options.callbacks.clearDisplayMessageCallback;
      if (this.hostOwned) return host ? host({ id }) : { status: 'Unknown' };
      // O05.FR.02
      if (!this.messages.some((m) => m.id === id)) return { status: 'Unknown' };
      if (host) {
        const answer = await host({ id });
        if (answer.status !== 'Accepted') return answer;
      }
      await this.remove([id]);
      return { status: 'Accepted' };
    });
  }

  /** O02.FR.02: the transaction ended; its messages are removed. */
  transactionEnded(transactionId: string): Promise<void> {
    return this.serial(async () => {
      if (this.hostOwned) return;
      await this.remove(this.messages.filter((m) => m.transactionId === transactionId).map((m) => m.id));
    });
  }

  private async remove(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.options.store.remove(ids);
    this.messages = this.messages.filter((m) => !ids.includes(m.id));
    this.changed();
  }

  /** O01.FR.07: ended messages are removed; then the timer is armed for the next start or end. */
  private async expire(): Promise<void> {
    const now = this.options.clock.nowMs();
    await this.remove(this.messages.filter((m) => expired(m, now)).map((m) => m.id));
    this.arm();
  }

  private arm(): void {
    const { timers, clock } = this.options;
    if (this.timer !== null) timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const now = clock.nowMs();
    const next = nextBoundaryMs(this.messages, now);
    if (next === undefined) return;
    this.timer = timers.setTimeout(() => {
      this.timer = null;
      // A start changes what is shown; an end also removes the message.
      void this.serial(async () => {
        await this.expire();
        this.notify();
      }).catch((e: unknown) => this.options.reportError(e));
    }, Math.min(MAX_WAIT_MS, Math.max(0, next - now)));
  }

  private changed(): void {
    this.arm();
    this.notify();
  }

  private notify(): void {
    if (this.stopped) return;
    // The host filters by its own state: a state change alone does not call it.
    this.options.callbacks.displayMessagesChangedCallback?.(this.inWindow());
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
