/**
 * Fakes for actors of the machines that the tests control, on a simulated station clock:
 * `deadline` and `alignedTick` (machines/deadline.ts) wait on {@link FakeTime}; the
 * `statusNotification` effect (machines/connector.ts) waits until the test acknowledges or refuses it
 * ({@link FakeLink}).
 * Every fake is bound to a tag (which actor tree it serves), so one clock can drive an original
 * actor and its restored twin side by side.
 */
import { fromPromise } from 'xstate';
import type { AlignedTickInput, DeadlineInput } from '../../machines/deadline.js';
import { formatInstant, instantMs } from '../../machines/instant.js';
import type { StatusNotificationInput, StatusNotificationParams } from '../../machines/connector.js';
import { callAction } from '../../src/runtime/call-effects.js';
import type { ConnectorStatusEnumType } from '../../src/generated/ocpp-types.js';

/** Lets every promise reaction and the actors' reactions to them run. */
export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Waiter {
  tag: string;
  id: string;
  untilMs: number;
  resolve: (iso: string) => void;
}

/** What a promise actor's body gets (the parts the fakes use). */
export interface WaitArgs<I> {
  input: I;
  self: { id: string };
  signal: AbortSignal;
}

const byTime = (a: Waiter, b: Waiter) =>
  a.untilMs - b.untilMs || a.id.localeCompare(b.id) || a.tag.localeCompare(b.tag);

/**
 * The station clock of a test: waits end only when the test moves the clock.
 *
 * @example
 * const time = new FakeTime(T0);
 * const machine = transactionMachine.provide({ actors: { deadline: time.deadline('a'), alignedTick: time.alignedTick('a') } });
 * await time.advanceBy(60); // every wait due within the minute ends, in time order
 */
export class FakeTime {
  private nowMs: number;
  private readonly waiters: Waiter[] = [];
  /** Every wait started, with its tag, invoke id and input (a restored actor starts its waits again). */
  readonly started: Array<{ tag: string; id: string; input: unknown }> = [];

  constructor(startIso: string) {
    this.nowMs = instantMs(startIso);
  }

  get nowIso(): string {
    return formatInstant(this.nowMs);
  }

  /** The `deadline` actor: ends at its `until`, with that instant. */
  deadline(tag: string) {
    return fromPromise<string, DeadlineInput>((args) => this.startDeadline(tag, args));
  }

  /** The `alignedTick` actor: ends at the next instant of its grid (from midnight UTC) after now. */
  alignedTick(tag: string) {
    return fromPromise<string, AlignedTickInput>((args) => this.startAlignedTick(tag, args));
  }

  /** The body of a `deadline` actor of tree `tag`. */
  startDeadline(tag: string, { input, self, signal }: WaitArgs<DeadlineInput>): Promise<string> {
    return new Promise<string>((resolve) => {
      this.started.push({ tag, id: self.id, input });
      if (input.until !== null) this.wait(tag, self.id, instantMs(input.until), resolve, signal);
    });
  }

  /** The body of an `alignedTick` actor of tree `tag`. */
  startAlignedTick(tag: string, { input, self, signal }: WaitArgs<AlignedTickInput>): Promise<string> {
    return new Promise<string>((resolve) => {
      this.started.push({ tag, id: self.id, input });
      const step = input.intervalS * 1000;
      this.wait(tag, self.id, (Math.floor(this.nowMs / step) + 1) * step, resolve, signal);
    });
  }

  /** Waits of a tree, as [invoke id, end instant], sorted. */
  pending(tag: string): Array<[string, string]> {
    return this.waiters
      .filter((w) => w.tag === tag)
      .map((w): [string, string] => [w.id, formatInstant(w.untilMs)])
      .sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  }

  /** Ends one wait of a tree now (the graph said it is the one due); resolves with its instant. */
  async fire(tag: string, id: string): Promise<string> {
    const waiter = this.waiters.find((w) => w.tag === tag && w.id === id);
    if (!waiter) throw new Error(`no wait '${id}' runs (${JSON.stringify(this.pending(tag))})`);
    this.remove(waiter);
    this.nowMs = Math.max(this.nowMs, waiter.untilMs);
    const at = formatInstant(waiter.untilMs);
    waiter.resolve(at);
    await flush();
    return at;
  }

  /** Moves the clock to `iso`; no wait may be due before it (the caller's model says none is). */
  setNow(iso: string): void {
    const ms = instantMs(iso);
    const due = this.waiters.filter((w) => w.untilMs < ms);
    if (due.length > 0) {
      throw new Error(
        `waits due before ${iso}: ${due.map((w) => `${w.tag}/${w.id}@${formatInstant(w.untilMs)}`).join(', ')}`,
      );
    }
    this.nowMs = Math.max(this.nowMs, ms);
  }

  /** Moves the clock on by `seconds`, ending every wait due meanwhile in time order (ties: by id, then tag). */
  async advanceBy(seconds: number): Promise<void> {
    const target = this.nowMs + seconds * 1000;
    for (;;) {
      const next = this.waiters.filter((w) => w.untilMs <= target).sort(byTime)[0];
      if (!next) break;
      this.remove(next);
      this.nowMs = Math.max(this.nowMs, next.untilMs);
      next.resolve(formatInstant(next.untilMs));
      await flush();
    }
    this.nowMs = target;
    await flush();
  }

  private wait(
    tag: string,
    id: string,
    untilMs: number,
    resolve: (iso: string) => void,
    signal: AbortSignal,
  ) {
    const waiter: Waiter = { tag, id, untilMs, resolve };
    this.waiters.push(waiter);
    // The state that invoked it was left: the actor is stopped and its wait is gone.
    signal.addEventListener('abort', () => this.remove(waiter));
  }

  private remove(waiter: Waiter): void {
    const i = this.waiters.indexOf(waiter);
    if (i >= 0) this.waiters.splice(i, 1);
  }
}

interface Notification {
  tag: string;
  input: StatusNotificationInput;
  /** The connector that made the call and the call's id: it is awaited while they match. */
  awaited: () => boolean;
  resolve: (status: ConnectorStatusEnumType) => void;
  reject: (error: Error) => void;
}

/**
 * StatusNotifications in flight until the test acknowledges (CSMS answered) or refuses them. A call
 * the connector no longer awaits (it left `sending`) is dropped, as its answer would change nothing.
 *
 * @example
 * const link = new FakeLink();
 * connectorMachine.provide({ actions: { statusNotification: link.action('a') } });
 * await link.settle('a', true);
 */
export class FakeLink {
  private readonly inFlight: Notification[] = [];
  readonly started: Array<{ tag: string; input: StatusNotificationInput }> = [];

  /** The `statusNotification` effect of tree `tag`. */
  action(tag: string) {
    return callAction<StatusNotificationParams>('statusNotification', ({ id, ...input }, { self }) =>
      this.start(tag, input, () => {
        const snapshot = self.getSnapshot() as { status: string; context: { callId: number } };
        return snapshot.status === 'active' && snapshot.context.callId === id;
      }),
    );
  }

  /** A call of tree `tag`, in flight while `awaited`. */
  start(
    tag: string,
    input: StatusNotificationInput,
    awaited: () => boolean,
  ): Promise<ConnectorStatusEnumType> {
    return new Promise<ConnectorStatusEnumType>((resolve, reject) => {
      this.started.push({ tag, input });
      this.inFlight.push({ tag, input, awaited, resolve, reject });
    });
  }

  /** Notifications of a tree in flight, as their inputs, sorted. */
  pending(tag: string): StatusNotificationInput[] {
    this.dropStale();
    return this.inFlight
      .filter((n) => n.tag === tag)
      .map((n) => n.input)
      .sort(
        (a, b) => a.evseId - b.evseId || a.connectorId - b.connectorId || a.status.localeCompare(b.status),
      );
  }

  /** Answers every notification of a tree in flight (of one connector when given): acknowledged or not. */
  async settle(tag: string, acknowledged: boolean, connectorId?: number): Promise<void> {
    this.dropStale();
    const mine = this.inFlight.filter(
      (n) => n.tag === tag && (connectorId === undefined || n.input.connectorId === connectorId),
    );
    for (const n of mine) {
      this.inFlight.splice(this.inFlight.indexOf(n), 1);
      if (acknowledged) n.resolve(n.input.status);
      else n.reject(new Error('StatusNotification not acknowledged'));
    }
    await flush();
  }

  /**
   * Acknowledges the calls of tree `tag` until none is in flight (the connectors settle). Throws if
   * calls are still in flight after `rounds` rounds (a connector that keeps sending): a caller that
   * persists next would otherwise store a connector mid-send without knowing it.
   */
  async settleAll(tag: string, rounds = 10): Promise<void> {
    for (let i = 0; i < rounds && this.pending(tag).length > 0; i++) await this.settle(tag, true);
    const left = this.pending(tag);
    if (left.length > 0) {
      throw new Error(`settleAll('${tag}'): still in flight after ${rounds} rounds: ${JSON.stringify(left)}`);
    }
  }

  /** What an invoked call's abort did: a call no longer awaited is not in flight. */
  private dropStale(): void {
    for (let i = this.inFlight.length - 1; i >= 0; i--)
      if (!this.inFlight[i]!.awaited()) this.inFlight.splice(i, 1);
  }
}
