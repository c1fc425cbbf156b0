/**
 * The machine versions stored with actor snapshots (`machineVersion`, src/runtime/restorable.ts): a
 * snapshot taken from another version of its machines is not restored.
 */
import { connectorMachine } from '../../machines/connector.js';
import { evseMachine } from '../../machines/evse.js';
import { firmwareMachine } from '../../machines/firmware.js';
import { logUploadMachine } from '../../machines/log-upload.js';
import { reservationMachine } from '../../machines/reservation.js';
import { transactionMachine } from '../../machines/transaction.js';
import { machineVersion } from './restorable.js';

/** The version stored with EVSE snapshots: a snapshot of other machines is not restored. */
export const EVSE_MACHINE_VERSION = machineVersion(evseMachine, connectorMachine, transactionMachine);
/** The version stored with reservation snapshots (H01–H04). */
export const RESERVATION_MACHINE_VERSION = machineVersion(reservationMachine);
/** The version stored with the firmware actor's snapshot (L01). */
export const FIRMWARE_MACHINE_VERSION = machineVersion(firmwareMachine);
/** The version stored with the log upload actor's snapshot (N01). */
export const LOG_UPLOAD_MACHINE_VERSION = machineVersion(logUploadMachine);
