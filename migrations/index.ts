/**
 * Every migration, in order. Listed statically (not discovered on disk) so that the compiled
 * package and `tsx` runs see the same set. Names sort in the order they must run.
 */
import type { Migration } from 'kysely';
import * as core from './0001_core.js';
import * as simulator from './0002_simulator.js';
import * as chargingProfiles from './0003_charging_profiles.js';
import * as transactions from './0004_transactions.js';
import * as simHardwareLocks from './0005_sim_hardware_locks.js';
import * as authorization from './0006_authorization.js';
import * as reservations from './0007_reservations.js';
import * as displayMessages from './0011_display_messages.js';
import * as monitoring from './0012_monitoring.js';
import * as deviceModelDifferences from './0013_device_model_differences.js';

export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0002_simulator': simulator,
  '0003_charging_profiles': chargingProfiles,
  '0004_transactions': transactions,
  '0005_sim_hardware_locks': simHardwareLocks,
  '0006_authorization': authorization,
  '0007_reservations': reservations,
  '0011_display_messages': displayMessages,
  '0012_monitoring': monitoring,
  '0013_device_model_differences': deviceModelDifferences,
};
