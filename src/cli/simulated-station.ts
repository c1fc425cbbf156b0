/**
 * A simulated charging station: the simulated hardware (cable, EV, meter per connector) and the
 * ChargePoint that runs on it. The hardware outlives the ChargePoint: a Reset from the CSMS stops
 * the ChargePoint and starts a new one in the same process on the same database (the library has
 * recorded the boot reason before calling resetCallback), and after a power loss (the process was
 * killed) the next start finds the hardware as it was and reports it (a plugged cable is plugged).
 *
 * Console commands and reboots run one at a time through a {@link SerialQueue}, so a command typed
 * while the station is starting, rebooting or offline waits for its turn and is never lost.
 */
import type { MasterPassChoice } from '../authorization/token-presentation.js';
import { ChargePoint } from '../charge-point.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import { readFile } from 'node:fs/promises';
import { runConsoleCommand, type CommandOutcome } from './run-console-command.js';
import { CommandSyntaxError, parseCommand } from './console-commands.js';
import { SerialQueue } from './serial-queue.js';
import { SimulatedHardware } from './simulated-hardware.js';
import { SimMeter } from './sim-meter.js';
import { SimCustomerData } from './sim-customer-data.js';
import { fixedCable } from '../runtime/tx-settings.js';
import { simInstallFirmware, type SimFirmwareOutcome } from './sim-firmware.js';
import { simChargePointOptions } from './sim-charge-point-options.js';
import { DEFAULT_EVSES, type SimulatedStationOptions } from './simulated-station-options.js';
import { gatedSink, type GatedSink } from './gated-sink.js';
import { StationEventRelay } from './station-event-relay.js';
import { releaseOrphanLocks, reportRestoredHardware } from './sim-hardware-restore.js';
import { SimEnergyReports } from './sim-energy-reports.js';

// The options live next to this file; callers import them from here.
export { DEFAULT_EVSES, type SimulatedStationOptions } from './simulated-station-options.js';

/**
 * @example
 * const station = await SimulatedStation.create({ stationId: 'CS-1', store, csmsUrl, overrides: [], clock, events, onQuit, onFatal });
 * await station.start();
 * station.submit('plug 1');
 */
export class SimulatedStation {
  readonly evses: readonly EvseStructure[];
  private chargePoint: ChargePoint | null = null;
  /**
   * The ChargePoint whose start() runs. A session restored with ResumeTransactionsOnBoot tells the
   * host during start() that charging is permitted again; the hardware must hear it then (it keeps
   * no permission across a power loss), or the resumed transaction could never draw energy.
   */
  private booting: ChargePoint | null = null;
  /** Events of the running ChargePoint; closed once it has stopped (see {@link gatedSink}). */
  private chargePointEvents: GatedSink | null = null;
  private boots = 0;
  /** Set by `offline`, cleared by `online`: like a pulled network cable, it survives a reboot. */
  private offline = false;
  private stopped = false;
  /** `quit` has run: later lines are answered, not run. */
  private quitting = false;
  /** The public events as CLI events: connector statuses reported once, held back while restoring. */
  private readonly relay: StationEventRelay;
  private readonly queue: SerialQueue;
  /** Energy flow and meter readings told to the ChargePoint. */
  private readonly energy: SimEnergyReports;
  /** `firmware next`: how the next firmware installation ends; kept across reboots, used once. */
  nextFirmwareOutcome: SimFirmwareOutcome = 'Installed';

  private constructor(
    private readonly options: SimulatedStationOptions,
    readonly hardware: SimulatedHardware,
    readonly meter: SimMeter,
    /** Customer data the station holds (`customer add`, N09/N10). */
    readonly customers: SimCustomerData,
  ) {
    this.evses = options.evses ?? DEFAULT_EVSES;
    this.relay = new StationEventRelay(options);
    this.energy = new SimEnergyReports({
      hardware,
      meter,
      evses: this.evses,
      clock: options.clock,
      running: () => this.chargePoint,
      runningOrBooting: () => this.chargePoint ?? this.booting,
      stopped: () => this.stopped,
    });
    this.queue = new SerialQueue((error) =>
      this.options.events.emit({ type: 'error', message: describe(error), fatal: false }),
    );
  }

  /** Loads the simulated hardware of the station from the database. */
  static async create(options: SimulatedStationOptions): Promise<SimulatedStation> {
    let station: SimulatedStation | null = null;
    const hardware = await SimulatedHardware.load({
      db: options.store.db,
      stationId: options.stationId,
      evses: options.evses ?? DEFAULT_EVSES,
      nowIso: () => options.clock.nowIso(),
      // The cable kind is configuration: Connector.ConnectorType (c...: fixed cable, s...: socket).
      fixedCable: (evseId, connectorId) => {
        const cp = station?.chargePoint;
        return cp ? fixedCable(cp.deviceModel, evseId, connectorId) : false;
      },
    });
    const meter = await SimMeter.open(
      options.store.db,
      options.stationId,
      options.signingMeter ?? false,
      options.clock.nowIso(),
    );
    const customers = await SimCustomerData.load(options.store.db, options.stationId);
    station = new SimulatedStation(options, hardware, meter, customers);
    return station;
  }

  /**
   * Tells the ChargePoint what energy does on an EVSE now (Charging, SuspendedEV or nothing), when
   * it changed, and reports the meters (sim-energy-reports.ts).
   */
  syncEnergy(evseId: number): void {
    this.energy.sync(evseId);
  }

  /** Every meter's reading to the ChargePoint (EVSE 0: the main meter, the sum of all). */
  reportMeters(signedOnly = false): void {
    this.energy.report(signedOnly);
  }

  /** The running ChargePoint; throws while the station is between two boots. */
  get cp(): ChargePoint {
    if (!this.chargePoint) throw new Error('the station is not running');
    return this.chargePoint;
  }

  get bootCount(): number {
    return this.boots;
  }

  /** `--master-pass-ui`: a master-pass token opens a choice instead of stopping everything. */
  get masterPassUi(): boolean {
    return this.options.masterPassUi ?? false;
  }

  get isOffline(): boolean {
    return this.offline;
  }

  /** Starts the first ChargePoint (through the queue, like every later reboot). */
  start(): Promise<void> {
    let failure: unknown;
    return this.queue
      .push(async () => {
        try {
          await this.boot();
        } catch (error) {
          failure = error;
        }
      })
      .then(() => {
        if (failure !== undefined) throw failure;
      });
  }

  /**
   * Queues one console line; its result is reported as a `command` event when its turn comes.
   * Returns when it has run. `origin` 'behaviour': the line came from `--behaviour`, not stdin (the
   * event says so with `behaviour: true`).
   */
  submit(line: string, origin?: 'behaviour'): Promise<void> {
    const by: { behaviour?: true } = origin === 'behaviour' ? { behaviour: true } : {};
    return this.queue.push(async () => {
      const text = line.trim();
      let command;
      try {
        command = parseCommand(text);
      } catch (error) {
        if (!(error instanceof CommandSyntaxError)) throw error;
        this.options.events.emit({ type: 'command', line: text, ok: false, message: error.message, ...by });
        return;
      }
      if (command === undefined) return;
      if (this.stopped || this.quitting) {
        const message = this.quitting ? 'not run: the station is stopping (quit)' : 'the station has stopped';
        this.options.events.emit({
          type: 'command',
          line: text,
          command: command.name,
          ok: false,
          message,
          ...by,
        });
        return;
      }
      let outcome: CommandOutcome;
      try {
        outcome = await runConsoleCommand(this, command);
      } catch (error) {
        outcome = { ok: false, message: describe(error) };
      }
      const { events, ...result } = outcome;
      for (const event of events ?? []) this.options.events.emit(event);
      this.options.events.emit({ type: 'command', line: text, command: command.name, ...result, ...by });
      if (command.name === 'quit') {
        this.quitting = true;
        this.options.onQuit();
      }
    });
  }

  /** Closes the websocket and keeps it closed (also across reboots) until {@link goOnline}. */
  goOffline(): void {
    this.offline = true;
    this.cp.disconnectWebsocket();
  }

  goOnline(): void {
    this.offline = false;
    this.cp.connectWebsocket();
  }

  /** Power for `charge`: the EV's 11 kW on-board charger, capped by the EVSE's EVSE.Power:MaxSet. */
  chargingPowerW(evseId: number): number {
    const maxSet = Number(
      this.cp.deviceModel.get({ component: 'EVSE', evseId, variable: 'Power', attribute: 'MaxSet' }),
    );
    return Number.isFinite(maxSet) && maxSet > 0 ? Math.min(EV_MAX_POWER_W, maxSet) : EV_MAX_POWER_W;
  }

  /** Writes the moving meters (through the queue, so it never interleaves with a command). */
  flushMeters(): Promise<void> {
    if (!this.hardware.charging) return Promise.resolve();
    return this.queue.push(() => this.hardware.flush());
  }

  /** Waits for queued commands, then stops the ChargePoint. The database stays open (the caller owns it). */
  stop(): Promise<void> {
    return this.queue.push(async () => {
      if (this.stopped) return;
      this.stopped = true;
      this.energy.stopTimer();
      await this.hardware.flush();
      await this.stopChargePoint();
    });
  }

  private async boot(): Promise<void> {
    const { options } = this;
    this.boots += 1;
    options.events.emit({
      type: 'station',
      state: 'starting',
      stationId: options.stationId,
      boot: this.boots,
      csmsUrl: options.csmsUrl,
      db: options.store.file,
    });
    this.relay.clear();
    this.relay.restoring = true;
    const sink = gatedSink(options.events);
    const cp = new ChargePoint(await simChargePointOptions(options, this.evses, this.callbacks(sink), sink));
    // The CLI's frames, connection, registration and connector events come from the public stream,
    // and so does the visualizer's timeline and actor states.
    cp.subscribe((event) => {
      this.relay.stationEvent(event, sink);
      if (sink.open) options.source?.stationEvent(event);
    });
    try {
      try {
        this.booting = cp;
        await cp.start();
      } catch (error) {
        this.booting = null;
        sink.close(); // start() has stopped it again
        throw error;
      }
      this.chargePoint = cp;
      this.booting = null;
      this.chargePointEvents = sink;
      this.energy.forgetFlows();
      // The hardware is as it was before the reboot or power loss: a real cable would still be
      // plugged. Everything is reported, also what is absent (sim-hardware-restore.ts).
      this.reportMeters();
      reportRestoredHardware(cp, this.hardware, this.evses);
      await releaseOrphanLocks(cp, this.hardware);
      if (this.offline) cp.disconnectWebsocket();
    } finally {
      this.relay.restoring = false;
    }
    for (const evse of this.evses)
      for (const c of evse.connectors) this.relay.reportStatus(evse.id, c.id, cp.connectorStatus(evse.id, c.id));
    options.events.emit({
      type: 'station',
      state: 'started',
      stationId: options.stationId,
      boot: this.boots,
    });
  }

  private async reboot(): Promise<void> {
    if (this.stopped) return;
    await this.stopChargePoint();
    try {
      await this.boot();
    } catch (error) {
      this.options.onFatal(error);
    }
  }

  private async stopChargePoint(): Promise<void> {
    const cp = this.chargePoint;
    if (!cp) return;
    this.options.events.emit({
      type: 'station',
      state: 'stopping',
      stationId: this.options.stationId,
      boot: this.boots,
    });
    this.chargePoint = null;
    await cp.stop();
    this.chargePointEvents?.close();
    this.chargePointEvents = null;
    this.options.events.emit({
      type: 'station',
      state: 'stopped',
      stationId: this.options.stationId,
      boot: this.boots,
    });
  }

  private callbacks(events: GatedSink): ChargePointCallbacks {
    return {
      ...(this.options.masterPassUi
        ? {
            masterPassUiCallback: (choice: MasterPassChoice) =>
              events.emit({ type: 'masterpass', idToken: choice.idToken, evseIds: choice.evseIds }),
          }
        : {}),
      ...this.customers.callbacks(),
      // The station permits (or stops) charging: a socket's cable is locked first; a lock that fails
      // is reported and the EV gets no energy (Part 6 TC_G_20).
      // (At once, not behind queued console commands: it is the hardware reacting.)
      chargingPermittedChangedCallback: (evseId, permitted) => {
        void (async () => {
          const cp = this.chargePoint ?? this.booting;
          if (this.stopped || !cp) return;
          const c = this.hardware.activeConnector(evseId);
          if (permitted && c.plugged && !c.fixedCable && !c.locked) {
            const locked = await this.hardware.lock(evseId, c.connectorId);
            if (!locked && c.lockFail) cp.onConnectorLockFailed(evseId, c.connectorId);
          }
          await this.hardware.setPermitted(evseId, permitted);
          this.syncEnergy(evseId);
        })().catch((error: unknown) =>
          events.emit({ type: 'error', message: describe(error), fatal: false }),
        );
      },
      unlockConnectorCallback: async (evseId, connectorId) => {
        await this.hardware.unlock(evseId, connectorId);
        return { status: 'Unlocked' };
      },
      // L01/L02: installing records the file's version; the reboot (resetCallback) starts it. Or it
      // fails as `firmware next` said (once).
      installFirmwareCallback: async (install) => {
        const outcome = this.nextFirmwareOutcome;
        this.nextFirmwareOutcome = 'Installed';
        return simInstallFirmware(
          this.options.store.db,
          this.options.stationId,
          install,
          await readFile(install.file),
          this.options.clock.nowIso(),
          outcome,
        );
      },
      firmwareStatusCallback: (status, requestId) =>
        events.emit({ type: 'firmware', status, ...(requestId === undefined ? {} : { requestId }) }),
      resetCallback: (evseId, resetType) => {
        events.emit({ type: 'reset', resetType, ...(evseId === undefined ? {} : { evseId }) });
        if (evseId === undefined) {
          // B11/B12: reboot. Queued: it must not stop the ChargePoint from inside its own callback,
          // and commands typed meanwhile wait for the new ChargePoint.
          void this.queue.push(() => this.reboot());
          return;
        }
        // B12 EVSE reset: the EVSE's power electronics restart, so its EV stops drawing power.
        void this.queue.push(async () => {
          await this.hardware.stopEnergyTransfer(evseId);
          this.syncEnergy(evseId);
        });
      },
    };
  }
}

/** A typical EV on-board charger: 3 phases x 16 A x 230 V. */
const EV_MAX_POWER_W = 11000;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
