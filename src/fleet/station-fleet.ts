/**
 * Many stations in one process on one store, sharing every immutable thing: the component
 * configuration is read, strict-parsed, validated and fitted to the EVSE structure once, and every
 * station's device model is built from those same (frozen in spirit: never written) objects; the
 * compiled message validators and machine definitions are module-level and shared anyway. Each
 * station keeps only its own values (DESIGN.md "Fleets share every immutable thing", issue 9).
 */
import { ChargePoint, type ChargePointOptions } from '../charge-point.js';
import { deviceModelComponents } from '../charge-point-device-model.js';
import type { LoadedComponent } from '../device-model/index.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import { openStationDatabase, type StationDatabase } from '../store/database.js';

export interface StationFleetOptions {
  /** A SQLite file path (opened, and closed by {@link StationFleet.close}), or an open database. */
  database: string | StationDatabase;
  /** EVSEs and connectors of every station of the fleet. */
  evses: EvseStructure[];
  /** The fleet's component config: as ChargePointOptions.deviceModel (configDir and/or components). */
  deviceModel?: { configDir?: string; components?: LoadedComponent[] };
}

/** What a fleet's station is created with: everything of a ChargePoint but what the fleet shares. */
export type FleetStationOptions = Omit<ChargePointOptions, 'database' | 'evses' | 'deviceModel'> & {
  /** Per-station start-up values (as ChargePointOptions.deviceModel.overrides). */
  overrides?: NonNullable<ChargePointOptions['deviceModel']>['overrides'];
};

/**
 * A fleet template: one store, one EVSE structure, one loaded device-model configuration; makes
 * ChargePoints that share them.
 *
 * @example
 * const fleet = await StationFleet.create({ database: 'fleet.db', evses: [{ id: 1, connectors: [{ id: 1 }] }] });
 * const stations = Array.from({ length: 1000 }, (_, i) =>
 *   fleet.chargePoint({ stationId: `CP${String(i + 1).padStart(5, '0')}`, csmsUrl: 'ws://csms.example.com/ocpp' }),
 * );
 * for (const station of stations) await station.start();
 * // ...
 * for (const station of stations) await station.stop();
 * await fleet.close();
 */
export class StationFleet {
  private constructor(
    readonly store: StationDatabase,
    readonly evses: readonly EvseStructure[],
    /** The loaded, validated components every station's device model is built from. */
    readonly components: readonly LoadedComponent[],
    private readonly ownsStore: boolean,
  ) {}

  /**
   * Opens the store (when given a path) and loads the configuration once. Throws what
   * ChargePoint.start would (DeviceModelConfigError naming the file, StoreError naming the database).
   *
   * @example
   * const fleet = await StationFleet.create({ database: store, evses, deviceModel: { configDir: 'my-config' } });
   */
  static async create(options: StationFleetOptions): Promise<StationFleet> {
    const components = await deviceModelComponents({
      evses: options.evses,
      ...(options.deviceModel === undefined ? {} : { deviceModel: options.deviceModel }),
    });
    const owns = typeof options.database === 'string';
    const store =
      typeof options.database === 'string' ? await openStationDatabase(options.database) : options.database;
    return new StationFleet(store, structuredClone(options.evses), components, owns);
  }

  /**
   * A ChargePoint of this fleet (not started): the fleet's store, EVSEs and configuration, and the
   * station's own options.
   *
   * @example
   * const cp = fleet.chargePoint({ stationId: 'CP00001', csmsUrl, overrides: [{ ref: { component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval' }, value: '60' }] });
   * await cp.start();
   */
  chargePoint(options: FleetStationOptions): ChargePoint {
    const { overrides, ...rest } = options;
    const shared = this.stationOptions();
    // Object.assign, not `{ ...rest, ...shared, deviceModel }`: on Node 20 (V8 11.3) an object
    // literal that starts with a spread and adds properties gets a hidden class of its own, every
    // time (~260 bytes per station kept by the ChargePoint; issue 9, docs/fleet/idle-memory.md).
    return new ChargePoint(
      Object.assign({}, rest, shared, {
        deviceModel: Object.assign({}, shared.deviceModel, overrides ? { overrides } : {}),
      }),
    );
  }

  /**
   * The shared part of a fleet station's ChargePointOptions, for hosts that build ChargePoints
   * themselves (e.g. a subclass).
   *
   * @example
   * new MyStation({ stationId: 'CP00002', ...fleet.stationOptions() });
   */
  stationOptions(): Pick<ChargePointOptions, 'database' | 'evses' | 'deviceModel'> {
    // Shared, not copied: nothing writes a station's EVSE structure or its loaded components.
    return {
      database: this.store,
      evses: this.evses as EvseStructure[],
      deviceModel: { components: this.components as LoadedComponent[] },
    };
  }

  /**
   * Closes the store when the fleet opened it; stop every station first.
   *
   * @example
   * await fleet.close();
   */
  async close(): Promise<void> {
    if (this.ownsStore) await this.store.close();
  }
}
