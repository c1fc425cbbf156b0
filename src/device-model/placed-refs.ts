/**
 * One {@link VariableRef} object per variable and place (EVSE, connector), shared by every station
 * of a process. `ModelIndex.resolve` remembers its answer by ref object, so a caller that builds
 * `{ ...base, evseId }` at each read misses that memory and resolves by name again (and leaves a
 * short-lived WeakMap entry per read for the collector): the AvailabilityState mirror, the
 * smart-charging settings and the transaction settings did so several times per boot (issue 9).
 * The refs are frozen: a shared ref changed in place would move every station's reads.
 */
import type { VariableRef } from './types.js';

const placed = new WeakMap<VariableRef, Map<string, VariableRef>>();

/**
 * `base` placed at an EVSE (and connector), the same frozen object at every call with the same
 * base object and ids. `base` itself must not change afterwards (use a module constant).
 *
 * @example
 * const power: VariableRef = { component: 'EVSE', variable: 'Power' };
 * placedRef(power, 1) === placedRef(power, 1); // true: { component: 'EVSE', evseId: 1, variable: 'Power' }
 */
export function placedRef(base: VariableRef, evseId: number, connectorId?: number): VariableRef {
  let byPlace = placed.get(base);
  if (byPlace === undefined) {
    byPlace = new Map();
    placed.set(base, byPlace);
  }
  const key = connectorId === undefined ? `${evseId}` : `${evseId}/${connectorId}`;
  let ref = byPlace.get(key);
  if (ref === undefined) {
    ref = Object.freeze(connectorId === undefined ? { ...base, evseId } : { ...base, evseId, connectorId });
    byPlace.set(key, ref);
  }
  return ref;
}
