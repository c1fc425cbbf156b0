/**
 * Which attributes of a device model are derived by lists of derivations (ModelIndex.deriveAll),
 * shared by the models of one shape: every station of a fleet gives the same lists in the same
 * order, so a station keeps only the contexts its lists are read with, not a closure per derived
 * attribute and a map (issue 9, docs/fleet/idle-memory.md "Idle memory, fourth round").
 */
import type { VariableRef } from './types.js';

/** A derived value, called at every read with the context its list was given with. */
export type Derivation = (context: never) => string | undefined;

/** Attributes and how each is derived from a context of type C (a module-level constant, shared). */
export type DerivationList<C> = ReadonlyArray<readonly [VariableRef, (context: C) => string | undefined]>;

/**
 * The derived slots after a sequence of lists: a trie keyed by the lists, its root on the shape.
 * The list given at depth d reads the model's d-th context.
 */
export interface DerivedSlots {
  /** Slot → the index of the list's context in the model's contexts, and the derivation. */
  readonly slots: ReadonlyMap<number, readonly [number, Derivation]>;
  readonly next: WeakMap<DerivationList<never>, DerivedSlots>;
}

/**
 * The root of a shape's trie: nothing derived.
 *
 * @example
 * const shape = { ..., derivations: noDerivedSlots() };
 */
export function noDerivedSlots(): DerivedSlots {
  return { slots: new Map(), next: new WeakMap() };
}

/**
 * The node after `node` once `list` is derived, its context at `index`: built the first time
 * (the attributes `slotOf` finds; a list's attribute overrides an earlier list's), then shared.
 *
 * @example
 * const next = nextDerivedSlots(shape.derivations, STATION_VALUES, 0, (ref) => slotOf(ref));
 * next.slots.get(slot); // [0, derivation]
 */
export function nextDerivedSlots<C>(
  node: DerivedSlots,
  list: DerivationList<C>,
  index: number,
  slotOf: (ref: VariableRef) => number | undefined,
): DerivedSlots {
  const key = list as DerivationList<never>;
  let next = node.next.get(key);
  if (next === undefined) {
    const slots = new Map(node.slots);
    for (const [ref, value] of list) {
      const slot = slotOf(ref);
      if (slot !== undefined) slots.set(slot, [index, value as Derivation]);
    }
    next = { slots, next: new WeakMap() };
    node.next.set(key, next);
  }
  return next;
}
