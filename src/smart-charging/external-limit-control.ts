/**
 * External limits of a running station (K11–K13): installed as ChargingStationExternalConstraints
 * profiles, told to the CSMS with NotifyChargingLimit / ClearedChargingLimit.
 */
import type { ChargingScheduleType } from '../generated/ocpp-types.js';
import type { MessageQueue } from '../queue/message-queue.js';
import {
  externalLimitProfile,
  externalLimitProfileId,
  notifyChargingLimitRequest,
  significantChange,
  type ExternalLimit,
  type ExternalLimitSource,
} from './external-limits.js';
import type { InstalledProfiles } from './installed-profiles.js';
import type { ProfileRejection } from './profile-rejection.js';
import type { SmartChargingSettings } from './smart-charging-settings.js';
import type { SmartChargingState } from './types.js';
import { validateChargingProfile } from './validate-charging-profile.js';
import { LazyMap } from '../lazy-collections.js';

/** Outcome of an external limit: installed (and whether the CSMS is told, SC.03), or refused. */
export type ExternalLimitResult =
  { status: 'Accepted'; profileId: number; notified: boolean } | ProfileRejection;

export interface ExternalLimitsOptions {
  installed: InstalledProfiles;
  queue: Pick<MessageQueue, 'send'>;
  state(): SmartChargingState;
  reportError(error: unknown): void;
}

/**
 * @example
 * const limits = new ExternalLimits({ installed, queue, state, reportError });
 * await installed.serial(() => limits.set({ evseId: 0, source: 'SO', limit: 20, unit: 'A' }, settings, now));
 */
export class ExternalLimits {
  /** The schedule of each external limit as last told to the CSMS (the SC.03 baseline), by profile id. */
  private readonly notified = new LazyMap<number, ChargingScheduleType>();

  constructor(private readonly options: ExternalLimitsOptions) {}

  /** After a restart the stored limits are what the CSMS was told last. */
  restored(): void {
    for (const entry of this.options.installed.list) {
      if (entry.profile.chargingProfilePurpose !== 'ChargingStationExternalConstraints') continue;
      this.notified.set(entry.profile.id, entry.profile.chargingSchedule[0]);
    }
  }

  /**
   * K11/K12: installs `limit` as a ChargingStationExternalConstraints profile (validated like any
   * profile, origin ExternalSystem) and, when it changed by more than LimitChangeSignificance since
   * the CSMS was last told (SC.03), queues a NotifyChargingLimitRequest (K11.FR.02, with the
   * schedule when NotifyChargingLimitWithSchedules, K11.FR.03). Refused while
   * ExternalControlSignalsEnabled is false. Throws a TypeError naming the field of a malformed limit.
   * Run it inside `installed.serial`.
   */
  async set(
    limit: ExternalLimit,
    settings: SmartChargingSettings,
    now: string,
  ): Promise<ExternalLimitResult> {
    const profile = externalLimitProfile(limit, now);
    if (!settings.externalControlSignalsEnabled) {
      return {
        status: 'Rejected',
        reasonCode: 'NotEnabled',
        requirement: 'SmartChargingCtrlr.ExternalControlSignalsEnabled',
        additionalInfo: 'the station is configured not to respond to external control signals',
      };
    }
    const result = validateChargingProfile(profile, {
      ...this.options.state(),
      evseId: limit.evseId,
      origin: 'ExternalSystem',
      now,
    });
    if (result.status === 'Rejected') return result;
    const source = limit.source ?? 'EMS';
    await this.options.installed.install(
      { evseId: limit.evseId, profile, chargingLimitSource: source, installedAt: now },
      result.replaces,
    );
    const schedule = profile.chargingSchedule[0];
    const notified = significantChange(
      this.notified.get(profile.id),
      schedule,
      settings.limitChangeSignificance,
    );
    if (notified) {
      this.notified.set(profile.id, schedule);
      this.send(
        'NotifyChargingLimit',
        notifyChargingLimitRequest(limit.evseId, source, profile, {
          withSchedule: settings.notifyChargingLimitWithSchedules,
          ...(limit.isGridCritical === undefined ? {} : { isGridCritical: limit.isGridCritical }),
        }),
      );
    }
    return { status: 'Accepted', profileId: profile.id, notified };
  }

  /**
   * K13: removes the limit of `source` on `evseId` and queues a ClearedChargingLimitRequest
   * (K13.FR.02). Resolves false when there was no such limit. Run it inside `installed.serial`.
   */
  async clear(evseId: number, source: ExternalLimitSource): Promise<boolean> {
    const id = externalLimitProfileId(evseId, source);
    const present = this.options.installed.list.some(
      (entry) =>
        entry.profile.id === id &&
        entry.profile.chargingProfilePurpose === 'ChargingStationExternalConstraints',
    );
    if (!present) return false;
    await this.options.installed.remove([id]);
    this.notified.delete(id);
    this.send('ClearedChargingLimit', { chargingLimitSource: source, ...(evseId > 0 ? { evseId } : {}) });
    return true;
  }

  /** Durable (SC.02: the CSMS is always told, after reconnects too); failures are reported. */
  private send(action: 'NotifyChargingLimit' | 'ClearedChargingLimit', payload: unknown): void {
    this.options.queue
      .send(action, payload, { durable: true })
      .catch((error: unknown) => this.options.reportError(error));
  }
}
