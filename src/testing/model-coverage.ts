/**
 * Transition coverage of production statecharts, measured on a running station: every transition a
 * machine definition declares (`on`, `always`, invoke `onDone`/`onError`, `after`) gets a stable
 * key, and a recorder plugged into the ChargePoint `inspect` option notes the ones that fired
 * (`@xstate.microstep` inspection events carry the transition definitions taken). So a model-based
 * test reports what really ran in the runtime, not what its paths were meant to do.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, InspectionEvent } from 'xstate';

/** One transition of a machine definition. */
export interface MachineTransition {
  /** `source --event#i--> targets`: stable across `machine.provide()` (built from state ids). */
  key: string;
  /** The machine's id (its root state node's id, e.g. `boot`). */
  machine: string;
  /** Id of the state node that declares it (`boot.registering`). */
  source: string;
  /** Event descriptor (`ws.opened`, `hw.*`, `xstate.done.actor.…`, `xstate.after.…`); `''` for `always`. */
  event: string;
  /** Position among the candidates of that event on that node (guarded alternatives). */
  index: number;
  /** Target state ids; empty for a targetless (actions-only) transition. */
  targets: string[];
}

function candidates(node: AnyStateNode, event: string): readonly AnyTransitionDefinition[] {
  return event === '' ? (node.always ?? []) : (node.transitions.get(event) ?? []);
}

/**
 * The key of a transition definition (as found in a machine or in an inspection event).
 *
 * @example
 * const [definition] = bootMachine.root.transitions.get('connection.up') ?? [];
 * transitionKey(definition); // 'boot --connection.up--> (internal)'
 */
export function transitionKey(transition: AnyTransitionDefinition): string {
  const source = transition.source;
  const list = candidates(source, transition.eventType);
  const index = Math.max(0, list.indexOf(transition));
  const event = transition.eventType === '' ? '(always)' : transition.eventType;
  const targets = (transition.target ?? []).map((t) => t.id).join(',') || '(internal)';
  return `${source.id} --${event}${list.length > 1 ? `#${index}` : ''}--> ${targets}`;
}

function walkNodes(node: AnyStateNode, visit: (node: AnyStateNode) => void): void {
  visit(node);
  for (const child of Object.values(node.states) as AnyStateNode[]) walkNodes(child, visit);
}

/**
 * Every transition a machine definition declares, in document order.
 *
 * @example
 * import { bootMachine } from 'ocpp-station/machines/boot'; // or your own machine
 * machineTransitions(bootMachine).length; // the denominator of the transition coverage
 */
export function machineTransitions(machine: AnyStateMachine): MachineTransition[] {
  const out: MachineTransition[] = [];
  walkNodes(machine.root, (node) => {
    const events = [...node.transitions.keys(), ...(node.always ? [''] : [])];
    for (const event of events) {
      candidates(node, event).forEach((transition, index) => {
        out.push({
          key: transitionKey(transition),
          machine: machine.id,
          source: node.id,
          event,
          index,
          targets: (transition.target ?? []).map((t) => t.id),
        });
      });
    }
  });
  return out;
}

/**
 * Every state id of a machine definition (the root included), in document order.
 *
 * @example
 * machineStates(bootMachine); // ['boot', 'boot.disconnected', 'boot.registering', ...]
 */
export function machineStates(machine: AnyStateMachine): string[] {
  const out: string[] = [];
  walkNodes(machine.root, (node) => out.push(node.id));
  return out;
}

/** Per machine: what it declares and what fired. */
export interface MachineCoverage {
  machine: string;
  states: number;
  transitions: number;
  /** Keys of the declared transitions that fired at least once. */
  covered: string[];
  /** Keys of the declared transitions that never fired. */
  uncovered: string[];
  /** Paths (or runs) counted for this machine by the test that recorded it. */
  paths: number;
}

/** A fired transition, with the actor (system id, else id) it fired in. */
export interface FiredTransition {
  machine: string;
  actor: string;
  key: string;
}

/**
 * Records the transitions that fire in a running station, from its inspection stream.
 *
 * @example
 * const coverage = new TransitionCoverage([bootMachine, connectionMachine]);
 * const station = new ChargePoint({ ...options, inspect: coverage.inspect });
 * await station.start();
 * // ... drive the station ...
 * console.log(formatCoverage(coverage.report()));
 */
export class TransitionCoverage {
  private readonly machines = new Map<string, AnyStateMachine>();
  private readonly fired = new Map<string, Set<string>>();
  private readonly paths = new Map<string, number>();
  private readonly log: FiredTransition[] = [];
  private readonly listeners = new Set<() => void>();

  private readonly learn: boolean;

  /**
   * @param machines the machines to account for; without them every machine whose transitions
   *   fire is learnt from the inspection stream (a machine that never fired is then not reported).
   */
  constructor(machines?: readonly AnyStateMachine[]) {
    this.learn = machines === undefined;
    for (const machine of machines ?? []) {
      this.machines.set(machine.id, machine);
      this.fired.set(machine.id, new Set());
    }
  }

  /** The inspection observer (pass it as ChargePoint's `inspect`, or call it from yours). */
  readonly inspect = (event: InspectionEvent): void => {
    if (event.type !== '@xstate.microstep') return;
    const transitions = (event as { _transitions?: AnyTransitionDefinition[] })._transitions ?? [];
    if (transitions.length === 0) return;
    const ref = event.actorRef as { id?: string; _systemId?: string };
    const actor = ref._systemId ?? ref.id ?? '?';
    for (const transition of transitions) {
      const machine = transition.source.machine.id;
      if (this.learn && !this.machines.has(machine)) {
        this.machines.set(machine, transition.source.machine as AnyStateMachine);
        this.fired.set(machine, new Set());
      }
      const set = this.fired.get(machine);
      if (!set) continue;
      const key = transitionKey(transition);
      set.add(key);
      this.log.push({ machine, actor, key });
    }
    for (const listener of [...this.listeners]) listener();
  };

  /**
   * Waits until every key in `keys` fired since `mark` (in any actor), else rejects after
   * `timeoutMs` naming the keys that did not fire and what fired instead.
   *
   * @example
   * const mark = coverage.mark();
   * await csms.call(identity, 'ChangeAvailability', { operationalStatus: 'Inoperative' });
   * await coverage.waitForFired(mark, ['connector.status.Available --(always)#2--> connector.status.Unavailable']);
   */
  waitForFired(mark: number, keys: readonly string[], timeoutMs = 10_000): Promise<void> {
    const missing = () => {
      const fired = new Set(this.log.slice(mark).map((f) => f.key));
      return keys.filter((k) => !fired.has(k));
    };
    if (missing().length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (missing().length > 0) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        const seen = [...new Set(this.log.slice(mark).map((f) => f.key))];
        reject(
          new Error(
            `not fired within ${timeoutMs} ms: ${missing().join('; ')}\nfired meanwhile: ${seen.join('; ') || '(nothing)'}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  /** A mark in the log: pass it to {@link firedSince} to get what fired after it. */
  mark(): number {
    return this.log.length;
  }

  /** The transitions that fired since `mark` (of one machine, if given). */
  firedSince(mark: number, machine?: string): FiredTransition[] {
    return this.log.slice(mark).filter((f) => machine === undefined || f.machine === machine);
  }

  /** Counts `n` more paths run for `machine` (reported next to its coverage). */
  countPaths(machine: string, n = 1): void {
    this.paths.set(machine, (this.paths.get(machine) ?? 0) + n);
  }

  /** Keys of `machine`'s transitions that fired so far. */
  covered(machine: string): Set<string> {
    return new Set(this.fired.get(machine) ?? []);
  }

  /** Coverage of every machine given to the constructor. */
  report(): MachineCoverage[] {
    return [...this.machines.values()].map((machine) => {
      const declared = machineTransitions(machine).map((t) => t.key);
      const fired = this.fired.get(machine.id) ?? new Set<string>();
      return {
        machine: machine.id,
        states: machineStates(machine).length,
        transitions: declared.length,
        covered: declared.filter((k) => fired.has(k)),
        uncovered: declared.filter((k) => !fired.has(k)),
        paths: this.paths.get(machine.id) ?? 0,
      };
    });
  }
}

/**
 * Merges reports of the same machines (e.g. from several test files): a transition is covered
 * when any report covered it; paths add up.
 *
 * @example
 * mergeCoverage([...fromBootTests, ...fromTransactionTests]);
 */
export function mergeCoverage(reports: readonly MachineCoverage[]): MachineCoverage[] {
  const byMachine = new Map<string, MachineCoverage>();
  for (const r of reports) {
    const seen = byMachine.get(r.machine);
    if (!seen) {
      byMachine.set(r.machine, { ...r, covered: [...r.covered], uncovered: [...r.uncovered] });
      continue;
    }
    const covered = new Set([...seen.covered, ...r.covered]);
    const all = [...seen.covered, ...seen.uncovered];
    byMachine.set(r.machine, {
      ...seen,
      covered: all.filter((k) => covered.has(k)),
      uncovered: all.filter((k) => !covered.has(k)),
      paths: seen.paths + r.paths,
    });
  }
  return [...byMachine.values()];
}

/**
 * A coverage table, one line per machine, then the transitions that never fired.
 *
 * @example
 * console.log(formatCoverage(coverage.report()));
 * // machine       states  transitions  paths  covered
 * // boot              11           27     12  27/27 (100%)
 */
export function formatCoverage(reports: readonly MachineCoverage[]): string {
  const lines = ['machine        states  transitions  paths  covered'];
  for (const r of reports) {
    const pct = r.transitions === 0 ? 100 : Math.floor((1000 * r.covered.length) / r.transitions) / 10;
    lines.push(
      `${r.machine.padEnd(14)} ${String(r.states).padStart(6)}  ${String(r.transitions).padStart(11)}  ${String(r.paths).padStart(5)}  ${r.covered.length}/${r.transitions} (${pct}%)`,
    );
  }
  for (const r of reports) {
    for (const key of r.uncovered) lines.push(`  not covered: ${key}`);
  }
  return lines.join('\n');
}
