/**
 * The CLI side of `--behaviour` and `--seed` (docs/cli.md "Behaviour"): checking the options,
 * reading a script file before any station starts (a bad file is a bad command line, exit 2, naming
 * the file and line), and making the runner with its seed.
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { StationClock } from '../clock.js';
import { BehaviourProfileError, parseBehaviourProfile, type BehaviourProfile } from './behaviour-profile.js';
import { BehaviourRunner, type BehaviourSpec } from './behaviour-runner.js';
import { checkScriptStations, loadBehaviourScript } from './behaviour-script.js';
import type { CliEventSink } from './cli-events.js';

/** `--behaviour` as given: a profile (parsed) or a script file (read before the stations start). */
export type BehaviourOption =
  { kind: 'profile'; text: string; profile: BehaviourProfile } | { kind: 'script'; file: string };

/** The `--help` lines of the behaviour options. */
export const BEHAVIOUR_USAGE = `  --behaviour <profile|file>
                         Stations act on their own, by console commands on the station clock.
                         A profile: plug=6/h,auth-first=0.2,auth-delay=5s..30s,charge=30m..2h,
                         power=7.4kW,stop=ev:5/token:3/unplug:2,leave=1m..10m (every key optional).
                         A file: one '<time> [@stationId] <command>' per line (see docs/cli.md).
  --seed <n>             Seed of the behaviour's random draws (0-4294967295). Default: a random one.`;

const MAX_SEED = 0xffff_ffff;

/**
 * The behaviour part of the parsed options (nothing when neither option is given). Throws what
 * `usageError` makes, naming the option.
 *
 * @example
 * behaviourOptions({ behaviour: 'plug=6/h', seed: '7' }, process.cwd(), (m) => new Error(m));
 * // { behaviour: { kind: 'profile', text: 'plug=6/h', profile: {...} }, seed: 7 }
 */
export function behaviourOptions(
  values: { behaviour?: string; seed?: string; replay?: string },
  baseDir: string,
  usageError: (message: string) => Error,
): { behaviour?: BehaviourOption; seed?: number } {
  if (values.behaviour === undefined) {
    if (values.seed !== undefined) throw usageError('--seed: only with --behaviour');
    return {};
  }
  if (values.replay !== undefined) throw usageError('--behaviour: no station runs with --replay');
  const text = values.behaviour.trim();
  if (text === '') throw usageError('--behaviour: empty (a profile such as plug=6/h, or a script file)');
  let behaviour: BehaviourOption;
  // A profile is key=value pairs; anything else names a script file.
  if (text.includes('=')) {
    try {
      behaviour = { kind: 'profile', text, profile: parseBehaviourProfile(text) };
    } catch (error) {
      if (error instanceof BehaviourProfileError) throw usageError(`--behaviour ${error.message}`);
      throw error;
    }
  } else behaviour = { kind: 'script', file: path.resolve(baseDir, text) };
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!/^\d+$/.test(values.seed.trim()) || seed > MAX_SEED) {
      throw usageError(
        `--seed ${JSON.stringify(values.seed)}: expected a whole number from 0 to ${MAX_SEED}`,
      );
    }
  }
  return { behaviour, ...(seed === undefined ? {} : { seed }) };
}

/**
 * Reads a script (checking its `@stationId`s against this run's stations) or takes the profile;
 * throws BehaviourScriptError naming the file and line.
 *
 * @example
 * const spec = await behaviourSpec({ kind: 'script', file: '/tmp/run.txt' }, new Set(['CP00001']));
 */
export async function behaviourSpec(
  option: BehaviourOption,
  stationIds: ReadonlySet<string>,
): Promise<BehaviourSpec> {
  if (option.kind === 'profile') return option;
  const script = await loadBehaviourScript(option.file);
  checkScriptStations(script, stationIds);
  return { kind: 'script', script };
}

/**
 * Announces the run's behaviour with a `behaviour` event and returns its seed (`--seed`, or a
 * random one: the event makes the run repeatable). Once per run, whatever the workers.
 *
 * @example
 * const seed = announceBehaviour(spec, options.seed, events);
 */
export function announceBehaviour(spec: BehaviourSpec, seed: number | undefined, events: CliEventSink): number {
  const chosen = seed ?? randomInt(MAX_SEED);
  events.emit(
    spec.kind === 'profile'
      ? { type: 'behaviour', kind: 'profile', profile: spec.text, seed: chosen }
      : {
          type: 'behaviour',
          kind: 'script',
          file: spec.script.file,
          commands: spec.script.entries.length,
          seed: chosen,
        },
  );
  return chosen;
}

/**
 * The runner of the stations of this thread (announceBehaviour gave the seed); a failed step is an
 * `error` event of its station.
 *
 * @example
 * const runner = startBehaviour(spec, { clock, seed: announceBehaviour(spec, undefined, events), events });
 */
export function startBehaviour(
  spec: BehaviourSpec,
  options: { clock: Pick<StationClock, 'nowMs'>; seed: number; events: CliEventSink },
): BehaviourRunner {
  return new BehaviourRunner(spec, {
    clock: options.clock,
    seed: options.seed,
    onError: (stationId, error) =>
      options.events.emit({
        type: 'error',
        stationId,
        message: `behaviour: ${error instanceof Error ? error.message : String(error)}`,
        fatal: false,
      }),
  });
}
