/**
 * The monitors of a running station (N02–N08): loaded from the store and the configuration,
 * evaluated at every change of a variable's Actual value, whoever made it (the CSMS through
 * SetVariables, the host, the station itself: they all pass through the device model's change
 * listeners), periodic ones on persisted deadlines; fired monitors become NotifyEventRequests
 * (src/monitoring/monitor-events.ts). The CSMS's monitoring requests are in monitoring-requests.ts.
 *
 * Every change of the monitors and their state runs in one serial chain, so evaluations, CSMS
 * requests and timers never interleave; each is stored before anything is reported.
 */
import type { Kysely } from 'kysely';
import type { StationClock } from '../clock.js';
import type { MonitoringBaseEnumType, NotifyEventRequest } from '../generated/ocpp-types.js';
import { NotDeliveredError } from '../queue/message-queue.js';
import { waitUntil } from '../runtime/deadline.js';
import type { DeviceModelPort, VariableChange, VariableRef } from '../runtime/ports.js';
import type { TimerScheduler } from '../runtime/timers.js';
import type { Database } from '../store/schema.js';
import { delivery, notifyEventRequest, type Delivery } from './monitor-events.js';
import { evaluate, nextReportAt, triggerOf } from './monitor-rules.js';
import { MonitorStore } from './monitor-store.js';
import { LOWEST_SEVERITY, type Monitor, type MonitorFiring } from './monitor-types.js';
import { reconcileMonitors } from './reconcile-monitors.js';
import { sameVariable } from './set-monitoring-check.js';
import { LazyMap, LazySet } from '../lazy-collections.js';

const CTRLR = 'MonitoringCtrlr';
/** The MonitoringCtrlr variables the monitors read and report (Part 2 Appendix, MonitoringCtrlr). */
export const MONITORING_VARIABLES = {
  enabled: { component: CTRLR, variable: 'Enabled' },
  base: { component: CTRLR, variable: 'ActiveMonitoringBase' },
  level: { component: CTRLR, variable: 'ActiveMonitoringLevel' },
  offlineQueuingSeverity: { component: CTRLR, variable: 'OfflineQueuingSeverity' },
} as const satisfies Record<string, VariableRef>;

export interface StationMonitoringOptions {
  stationId: string;
  db: Kysely<Database>;
  deviceModel: DeviceModelPort;
  clock: StationClock;
  timers: TimerScheduler;
  /** Queues a CALL (src/queue/message-queue.ts). */
  send(action: 'NotifyEvent', payload: NotifyEventRequest, options: { durable: boolean }): Promise<unknown>;
  /** Connected and registered: a message sent now goes out now. */
  online(): boolean;
  /** The transaction running on the EVSE (any EVSE when undefined), if any. */
  transactionId(evseId: number | undefined): string | undefined;
  reportError(error: unknown): void;
}

/** A monitor fired: what the CSMS is told and what became of it. */
export interface MonitorNotice {
  monitor: Monitor;
  request: NotifyEventRequest;
  delivery: Delivery;
}

/**
 * @example
 * const monitoring = new StationMonitoring({ stationId, db, deviceModel, clock, timers, send, online, transactionId, reportError });
 * await monitoring.start();
 * monitoring.list(); // the active monitors
 */
export class StationMonitoring {
  /** Every monitor held, active or not, by id. */
  protected readonly monitors = new Map<number, Monitor>();
  protected readonly store: MonitorStore;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly periodic = new LazyMap<number, AbortController>();
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private readonly listeners = new LazySet<(notice: MonitorNotice) => void>();

  constructor(protected readonly options: StationMonitoringOptions) {
    this.store = new MonitorStore(options.db, options.stationId);
  }

  /**
   * Loads the monitors, fits them to the configuration, and starts watching. It runs in the serial
   * chain: a CSMS request that arrives while the station starts (the connection opens before the
   * monitors are loaded) waits for it, so it sees the stored monitors (N04.FR.11: the next free id)
   * and its write lands after the start's (which shares a transaction with other stations' starts,
   * src/store/write-batch.ts, and would otherwise commit after it).
   */
  start(): Promise<void> {
    return this.serial(async () => {
      const dm = this.options.deviceModel;
      const configured = dm.configuredMonitors ?? [];
      const targetOf = dm.monitorTarget?.bind(dm);
      const { monitors, removed } = reconcileMonitors(
        await this.store.load(),
        configured,
        (c, v) => targetOf?.(c, v) ?? { status: 'UnknownComponent' },
        this.base(),
      );
      for (const m of monitors) this.monitors.set(m.id, m);
      // A monitor without a reference (new) compares with the value it sees at start (N07.FR.18/19);
      // a threshold exceeded before the reboot that returned meanwhile clears now (N07.FR.14).
      const notices = monitors.filter((m) => m.active).map((m) => this.evaluateNow(m));
      // Only what differs from the stored rows (or, new, from the configuration) is written (issue 9).
      await this.store.writeChanged(monitors, removed, this.options.clock.nowIso());
      this.unsubscribe = dm.onChange((change) => this.changed(change));
      for (const m of monitors) this.arm(m);
      for (const fire of notices) fire?.();
    });
  }

  /** Stops the timers and waits for the work in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const controller of this.periodic.values()) controller.abort();
    this.periodic.clear();
    await this.chain.catch(() => undefined);
  }

  /** The active monitors, by id (what GetMonitoringReport and `monitor list` show). */
  list(): Monitor[] {
    return [...this.monitors.values()].filter((m) => m.active).sort((a, b) => a.id - b.id);
  }

  /** Calls `listener` with every fired monitor; returns the unsubscribe function. */
  onNotice(listener: (notice: MonitorNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Fires an active monitor now, as if its condition occurred (CLI `monitor trigger`): the trigger
   * of its type, the variable's current value. Undefined when no active monitor has this id.
   *
   * @example
   * (await monitoring.trigger(1))?.delivery; // 'queued'
   */
  trigger(id: number): Promise<MonitorNotice | undefined> {
    return this.serial(async () => {
      const m = this.monitors.get(id);
      if (m === undefined || !m.active) return undefined;
      return this.fire(m, { trigger: triggerOf(m.type) });
    });
  }

  /** Runs `work` after everything queued before it (monitors change only here). */
  protected serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** ActiveMonitoringBase now (All when unset or unknown). */
  protected base(): MonitoringBaseEnumType {
    const value = this.options.deviceModel.get(MONITORING_VARIABLES.base);
    return value === 'FactoryDefault' || value === 'HardWiredOnly' ? value : 'All';
  }

  /** The Actual value the monitor watches, as the device model has it. */
  protected actualOf(m: Monitor): {
    value: string | undefined;
    writeOnly: boolean;
    dataType: string | undefined;
  } {
    const target = this.options.deviceModel.monitorTarget?.(m.component, m.variable);
    if (target?.status !== 'Found') return { value: undefined, writeOnly: false, dataType: undefined };
    return {
      value: this.options.deviceModel.get(target.ref),
      writeOnly: target.mutability === 'WriteOnly',
      dataType: target.characteristics.dataType,
    };
  }

  /**
   * Evaluates a monitor against the current value, updating its state in memory; returns the
   * report to make once the state is stored, if it fired. A monitor bound to transactions is idle
   * while none runs.
   */
  protected evaluateNow(m: Monitor, changedTo?: string): (() => void) | undefined {
    if (m.transaction && this.transactionOf(m) === undefined) return undefined;
    const { value, dataType } = this.actualOf(m);
    // A change is judged by the value it made, not by a later one already stored meanwhile.
    const result = evaluate(m, changedTo ?? value, dataType as never);
    m.exceeded = result.exceeded;
    m.reference = result.reference;
    const firing = result.firing;
    const reported = changedTo ?? value;
    return firing === undefined ? undefined : () => void this.fire(m, firing, reported);
  }

  /** Re-arms (or disarms) the periodic deadline of a monitor after it changed. */
  protected rearm(m: Monitor): void {
    this.periodic.get(m.id)?.abort();
    this.periodic.delete(m.id);
    this.arm(m);
  }

  /** Disarms a monitor that is gone. */
  protected disarm(id: number): void {
    this.periodic.get(id)?.abort();
    this.periodic.delete(id);
  }

  private transactionOf(m: Monitor): string | undefined {
    return this.options.transactionId(m.component.evse?.id);
  }

  /** A stored change of the device model: the monitors on that variable's Actual value evaluate it. */
  private changed(change: VariableChange): void {
    if ((change.ref.attribute ?? 'Actual') !== 'Actual' || this.stopped) return;
    const component = {
      name: change.ref.component,
      ...(change.ref.componentInstance === undefined ? {} : { instance: change.ref.componentInstance }),
      ...(change.ref.evseId === undefined
        ? {}
        : {
            evse: {
              id: change.ref.evseId,
              ...(change.ref.connectorId === undefined ? {} : { connectorId: change.ref.connectorId }),
            },
          }),
    };
    const variable = {
      name: change.ref.variable,
      ...(change.ref.variableInstance === undefined ? {} : { instance: change.ref.variableInstance }),
    };
    const watching = [...this.monitors.values()].filter(
      (m) => m.active && sameVariable(component, variable, m),
    );
    if (watching.length === 0) return;
    void this.serial(async () => {
      const before = watching.map((m) => ({ ...m }));
      const fires = watching.map((m) => this.evaluateNow(m, change.value));
      const dirty = watching.filter(
        (m, i) => m.exceeded !== before[i]!.exceeded || m.reference !== before[i]!.reference,
      );
      await this.store.write(dirty, [], this.options.clock.nowIso());
      for (const fire of fires) fire?.();
    }).catch((e: unknown) => this.options.reportError(e));
  }

  /** Sends (or queues, filters, drops) the NotifyEvent of a fired monitor. */
  protected async fire(m: Monitor, firing: MonitorFiring, valueNow?: string): Promise<MonitorNotice> {
    const dm = this.options.deviceModel;
    const actual = this.actualOf(m);
    const { writeOnly } = actual;
    const value = valueNow ?? actual.value;
    const now = this.options.clock.nowIso();
    const request = notifyEventRequest(m, firing, writeOnly ? '' : (value ?? ''), now, this.transactionOf(m));
    const read = (ref: VariableRef, fallback: number) => {
      try {
        return dm.getInteger(ref) ?? fallback;
      } catch {
        return fallback;
      }
    };
    let enabled: boolean;
    try {
      enabled = dm.getBoolean(MONITORING_VARIABLES.enabled) ?? true;
    } catch {
      enabled = true;
    }
    const decided = delivery(m.severity, {
      enabled,
      level: read(MONITORING_VARIABLES.level, LOWEST_SEVERITY),
      offlineQueuingSeverity: read(MONITORING_VARIABLES.offlineQueuingSeverity, LOWEST_SEVERITY),
      online: this.options.online(),
    });
    const notice: MonitorNotice = { monitor: { ...m }, request, delivery: decided };
    for (const listener of this.listeners) listener(notice);
    if (decided === 'queued' || decided === 'sent') {
      // Not awaited: the answer may take long (offline), and the chain must go on.
      this.options.send('NotifyEvent', request, { durable: decided === 'queued' }).catch((error: unknown) => {
        // N07.FR.04: an event above OfflineQueuingSeverity that cannot go now is not kept.
        if (!(error instanceof NotDeliveredError)) this.options.reportError(error);
      });
    }
    return notice;
  }

  /** Arms the deadline of an active periodic monitor (N08.FR.06/07); restored ones re-arm the stored instant. */
  private arm(m: Monitor): void {
    if (!m.active || this.stopped || (m.type !== 'Periodic' && m.type !== 'PeriodicClockAligned')) return;
    if (m.nextAt === null) {
      m.nextAt = nextReportAt(m, this.options.clock.nowIso(), this.zone());
      void this.store
        .write([m], [], this.options.clock.nowIso())
        .catch((e: unknown) => this.options.reportError(e));
    }
    const controller = new AbortController();
    this.periodic.set(m.id, controller);
    const due = m.nextAt;
    void waitUntil(this.options.clock, this.options.timers, due, controller.signal).then((firedAt) =>
      this.serial(async () => {
        if (controller.signal.aborted || this.monitors.get(m.id) !== m || m.nextAt !== due) return;
        this.periodic.delete(m.id);
        // N08.FR.06: the next period counts from this report (a deadline missed while off fires once).
        m.nextAt = nextReportAt(m, firedAt, this.zone());
        await this.store.write([m], [], this.options.clock.nowIso());
        if (!m.transaction || this.transactionOf(m) !== undefined)
          await this.fire(m, { trigger: 'Periodic' });
        this.arm(m);
      }).catch((e: unknown) => this.options.reportError(e)),
    );
  }

  private zone(): string | undefined {
    return this.options.deviceModel.get({ component: 'ClockCtrlr', variable: 'TimeZone' }) || undefined;
  }
}
