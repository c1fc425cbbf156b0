/**
 * The installed charging profiles of a running station: the list the engine reads, kept equal to
 * the `charging_profile` rows (written first, so an accepted profile is never lost), changed one
 * change at a time, and counted in SmartChargingCtrlr.Entries(ChargingProfiles).
 */
import type { Kysely } from 'kysely';
import type { DeviceModelPort } from '../runtime/ports.js';
import { deleteChargingProfiles, saveChargingProfile } from '../store/charging-profiles.js';
import type { Database } from '../store/schema.js';
import { installChargingProfile } from './install-charging-profile.js';
import { restoreChargingProfiles } from './restore-charging-profiles.js';
import { SMART_CHARGING_VARIABLES, type SmartChargingSettings } from './smart-charging-settings.js';
import type { InstalledChargingProfile } from './types.js';

export interface InstalledProfilesOptions {
  db: Kysely<Database>;
  stationId: string;
  deviceModel: DeviceModelPort;
  reportError(error: unknown): void;
  /** Called after every change of the list (K01.FR.07: re-evaluate). */
  changed(): void;
}

/**
 * @example
 * const installed = new InstalledProfiles({ db, stationId, deviceModel, reportError, changed });
 * await installed.restore(settings, now);
 * await installed.serial(() => installed.install(entry, []));
 */
export class InstalledProfiles {
  private profiles: InstalledChargingProfile[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: InstalledProfilesOptions) {}

  /** In installation order. */
  get list(): readonly InstalledChargingProfile[] {
    return this.profiles;
  }

  /** Loads the stored profiles that still hold under `settings` ({@link restoreChargingProfiles}). */
  async restore(settings: SmartChargingSettings, now: string): Promise<void> {
    const { db, stationId, reportError } = this.options;
    this.profiles = await restoreChargingProfiles(db, stationId, settings, now, reportError);
    await this.updateEntries();
  }

  /** Stores `entry` (replacing `replaces`, K01.FR.05), then applies it. */
  async install(entry: InstalledChargingProfile, replaces: readonly number[]): Promise<void> {
    await saveChargingProfile(this.options.db, this.options.stationId, entry, replaces);
    this.profiles = installChargingProfile(this.profiles, entry, replaces);
    await this.updateEntries();
    this.options.changed();
  }

  /** Deletes profiles from the store, then from the list. */
  async remove(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await deleteChargingProfiles(this.options.db, this.options.stationId, ids);
    this.profiles = this.profiles.filter((entry) => !ids.includes(entry.profile.id));
    await this.updateEntries();
    this.options.changed();
  }

  /** One change at a time: a validation sees every profile accepted before it (no double acceptance). */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** SmartChargingCtrlr.Entries(ChargingProfiles): the number of installed profiles. */
  private async updateEntries(): Promise<void> {
    const ref = SMART_CHARGING_VARIABLES.entries;
    const count = String(this.profiles.length);
    if (this.options.deviceModel.get(ref) === count) return;
    await this.options.deviceModel.set(ref, count, 'host').catch((e: unknown) => this.options.reportError(e));
  }
}
