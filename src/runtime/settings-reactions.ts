/**
 * The running station follows its device model: a new HeartbeatInterval or OfflineThreshold goes to
 * the charts that use it, changed transaction settings to every EVSE, and aligned meter values
 * re-plan when their AlignedDataCtrlr or ClockCtrlr settings change.
 */
import type { StationEvent } from '../../machines/station.js';
import type { TxSettings } from '../../machines/transaction-rules.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { DeviceModelPort } from './ports.js';
import { VARIABLES } from './settings.js';
import { isTxSetting } from './tx-settings.js';

/** What the reactions read and tell. */
export interface SettingsReactionPorts {
  deviceModel: Pick<DeviceModelPort, 'onChange'>;
  evses: readonly EvseStructure[];
  /** Sends an event to the root actor. */
  send(event: StationEvent): void;
  /** Transaction settings of every EVSE now, by EVSE id. */
  txSettings(): Record<string, TxSettings>;
  /** The AlignedDataCtrlr or ClockCtrlr settings changed. */
  alignedSettingsChanged(): void;
  /**
   * The heartbeat interval (s) the `boot` chart runs with now, if known: a HeartbeatInterval it
   * stored itself (B01.FR.04, the BootNotificationResponse's interval) is not echoed back to it.
   */
  heartbeatIntervalS?(): number | undefined;
}

/**
 * Subscribes to the device model's changes; returns the unsubscribe.
 *
 * @example
 * const off = reactToSettings({ deviceModel, evses, send, txSettings, alignedSettingsChanged });
 */
export function reactToSettings(ports: SettingsReactionPorts): () => void {
  return ports.deviceModel.onChange((change) => {
    const same = (ref: { component: string; variable: string }) =>
      ref.component === change.ref.component && ref.variable === change.ref.variable;
    const seconds = Number(change.value);
    // Issue 9: the boot's own write came back as two events and a new heartbeat wait per boot.
    // The device model tells its writes at once (src/device-model/value-commits.ts), so the boot
    // chart's B01.FR.04 write is told while its transition runs, before its context holds the new
    // interval: compared once that transition is done.
    if (same(VARIABLES.heartbeatInterval) && Number.isInteger(seconds)) {
      queueMicrotask(() => {
        if (ports.heartbeatIntervalS?.() !== seconds)
          ports.send({ type: 'settings.heartbeatInterval', seconds });
      });
    }
    if (same(VARIABLES.offlineThreshold) && Number.isInteger(seconds)) {
      ports.send({ type: 'settings.offlineThreshold', seconds });
    }
    if (change.ref.component === 'AlignedDataCtrlr' || change.ref.component === 'ClockCtrlr') {
      ports.alignedSettingsChanged();
    }
    if (isTxSetting(change.ref)) {
      const settings = ports.txSettings();
      for (const evse of ports.evses) {
        ports.send({
          type: 'tx.settings',
          evseId: evse.id,
          settings: settings[String(evse.id)] as TxSettings,
        });
      }
    }
  });
}
