/**
 * What is computed from a list of loaded components once for the same components (the same
 * objects, in the same order): every station of a fleet passes a new array of the shared components
 * (src/fleet/station-fleet.ts), so the list is found by its first element, then compared.
 */
import type { LoadedComponent } from './types.js';

/**
 * `compute` memoized per list of the same loaded components; an empty list is computed every time.
 *
 * @example
 * const shapeOf = perComponentList(buildShape);
 * shapeOf(fleetComponents) === shapeOf([...fleetComponents]); // true
 */
export function perComponentList<T>(
  compute: (components: readonly LoadedComponent[]) => T,
): (components: readonly LoadedComponent[]) => T {
  const byFirst = new WeakMap<LoadedComponent, Array<{ components: readonly LoadedComponent[]; value: T }>>();
  return (components) => {
    const first = components[0];
    if (first === undefined) return compute(components);
    const known = byFirst.get(first) ?? [];
    const same = known.find(
      (k) => k.components.length === components.length && k.components.every((c, i) => c === components[i]),
    );
    if (same !== undefined) return same.value;
    const value = compute(components);
    known.push({ components: [...components], value });
    byFirst.set(first, known);
    return value;
  };
}
