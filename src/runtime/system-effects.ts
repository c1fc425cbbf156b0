/**
 * The effects of a station, found through its actor system. The provided statecharts are built once
 * per process (src/runtime/provide-machines.ts: ~70 state nodes and ~230 transitions in nine
 * machines, too costly to build per station of a fleet, issue 9); their implementations receive the
 * actor system (`({ system }) => ...` in actions, delays and actor logic) and look up here the
 * effects of the station that system belongs to. Every actor of a station shares its root's system.
 */
import type { AnyActorRef } from 'xstate';

/** The actor system of a running actor (xstate does not export its name for it). */
export type AnyActorSystem = AnyActorRef['system'];

const bound = new WeakMap<AnyActorSystem, object>();
/** The effects of the root actor being constructed: its initial state resolves before it is returned. */
let constructing: object | undefined;

/** Thrown when a provided machine runs in an actor system no station effects were bound to. */
export class UnboundSystemError extends Error {
  /** Catalogue code (docs/errors.md): a bug of whoever created the actor, not a station condition. */
  readonly code = 'ERR_INTERNAL';
  constructor() {
    super(
      'a station statechart runs without station effects: create its root actor with createWithEffects (src/runtime/system-effects.ts)',
    );
    this.name = 'UnboundSystemError';
  }
}

/**
 * Creates a root actor with `create` and binds `effects` to its actor system; implementations that
 * run while the actor is constructed (its initial state: input, delays) already find them.
 *
 * @example
 * const actor = createWithEffects(effects, () => createActor(providedStationMachine(), { input }));
 */
export function createWithEffects<E extends object, A extends { system: AnyActorSystem }>(
  effects: E,
  create: () => A,
): A {
  const outer = constructing;
  constructing = effects;
  try {
    const actor = create();
    bound.set(actor.system, effects);
    return actor;
  } finally {
    constructing = outer;
  }
}

/**
 * The effects bound to `system` (by {@link createWithEffects}); throws {@link UnboundSystemError}
 * when there are none.
 *
 * @example
 * const connector = connectorMachine.provide({ actions: { statusChanged: ({ system }, p) => effectsOf<MachineEffects>(system).availabilityState() } });
 */
export function effectsOf<E extends object>(system: AnyActorSystem): E {
  let effects = bound.get(system);
  if (effects === undefined && constructing !== undefined) {
    effects = constructing;
    bound.set(system, effects);
  }
  if (effects === undefined) throw new UnboundSystemError();
  return effects as E;
}
