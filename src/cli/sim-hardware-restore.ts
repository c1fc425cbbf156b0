/**
 * What a simulated station tells a new ChargePoint about its hardware after a boot
 * (simulated-station.ts): the hardware is as it was before the reboot or power loss.
 */
import type { ChargePoint } from '../charge-point.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import type { SimulatedHardware } from './simulated-hardware.js';

/**
 * Reports every connector and parking bay to a ChargePoint that just started. A real cable would
 * still be plugged. Everything is reported, also what is absent, so that a session restored from
 * before the power loss learns what changed meanwhile (a cable pulled while the station was off).
 */
export function reportRestoredHardware(
  cp: ChargePoint,
  hardware: SimulatedHardware,
  evses: readonly EvseStructure[],
): void {
  for (const c of hardware.connectors()) {
    if (c.plugged && c.ev !== 'absent') cp.onSessionStarted(c.evseId, c.connectorId);
    else if (c.plugged) cp.onEvDisconnected(c.evseId, c.connectorId);
    else cp.onSessionFinished(c.evseId, c.connectorId);
    if (c.faulted) cp.onFaulted(c.evseId, c.connectorId);
  }
  for (const evse of evses) {
    const parked = hardware.activeConnector(evse.id).parked;
    if (parked) cp.onParkingBayOccupied(evse.id);
    else if (cp.getTransactionId(evse.id) !== undefined) cp.onParkingBayUnoccupied(evse.id);
  }
}

/**
 * A socket's retention lock that no transaction holds after a start is released. E06.FR.10
 * unlocks at the end of a transaction, but the unlock is a hardware action after the Ended was
 * decided: a power loss between the two leaves the cable locked in the stored hardware with no
 * transaction (or idToken, E09.FR.03: the held cable is not remembered across a restart) that
 * could ever release it, and the driver could never take the cable out.
 */
export async function releaseOrphanLocks(cp: ChargePoint, hardware: SimulatedHardware): Promise<void> {
  for (const c of hardware.connectors()) {
    if (c.locked && cp.getTransactionId(c.evseId) === undefined) {
      await hardware.unlock(c.evseId, c.connectorId);
    }
  }
}
