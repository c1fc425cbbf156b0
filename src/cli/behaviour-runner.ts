/**
 * `--behaviour`: makes simulated stations act on their own, on the station clock, by submitting
 * console lines exactly as a person typing them would (docs/cli.md "Behaviour"). Two forms:
 *
 * - a profile (src/cli/behaviour-profile.ts): EVs arrive at each station as a Poisson process
 *   (`plug=6/h`), each visit run by src/cli/behaviour-session.ts with random draws from the
 *   station's own seeded stream (`--seed` and the station identity), so a run is reproducible and
 *   independent of the order stations start in;
 * - a script (src/cli/behaviour-script.ts): a timed list of console commands, per station or for
 *   every station, counted from each station's start.
 *
 * Every step waits in one {@link BehaviourScheduler}; `stop()` (at `quit`, a signal or a fatal
 * error) clears it, so nothing of the behaviour outlives the run.
 */
import type { StationClock } from '../clock.js';
import type { BehaviourProfile } from './behaviour-profile.js';
import type { BehaviourScript, ScriptEntry } from './behaviour-script.js';
import { BehaviourScheduler, type HostTimer } from './behaviour-scheduler.js';
import { freeEvses, runEvSession, type BehaviourStation } from './behaviour-session.js';
import { exponentialMs, seededRandom, type RandomSource } from './seeded-random.js';

/** What `--behaviour` asked for (cli-options.ts; a script is read before the stations start). */
export type BehaviourSpec =
  { kind: 'profile'; text: string; profile: BehaviourProfile } | { kind: 'script'; script: BehaviourScript };

export interface BehaviourRunnerOptions {
  clock: Pick<StationClock, 'nowMs'>;
  /** `--seed`: the same seed gives the same arrivals and draws per station. */
  seed: number;
  /** Host timer (tests: a manual one). */
  timer?: HostTimer;
  /** A session step failed unexpectedly (commands' own refusals are `command` events, not this). */
  onError?: (stationId: string, error: unknown) => void;
}

/**
 * @example
 * const runner = new BehaviourRunner({ kind: 'profile', text, profile: parseBehaviourProfile(text) }, { clock, seed: 42 });
 * runner.attach('CP00001', station); // once the station has started
 * // ... at quit:
 * runner.stop();
 */
export class BehaviourRunner {
  readonly scheduler: BehaviourScheduler;
  private readonly attached = new Set<string>();
  private sessionsStarted = 0;

  constructor(
    readonly spec: BehaviourSpec,
    private readonly options: BehaviourRunnerOptions,
  ) {
    this.scheduler = new BehaviourScheduler(options.clock, options.timer);
  }

  /** EV visits begun so far (profile form). */
  get sessions(): number {
    return this.sessionsStarted;
  }

  /**
   * Starts the behaviour of a station that has just started (once per station: a reboot after a
   * Reset keeps the behaviour running, as the people and EVs at a station do not reboot).
   */
  attach(stationId: string, station: BehaviourStation): void {
    if (this.attached.has(stationId)) return;
    this.attached.add(stationId);
    if (this.spec.kind === 'script') this.runScript(stationId, station, this.spec.script);
    else this.runProfile(stationId, station, this.spec.profile);
  }

  /** Clears every pending step; sessions in progress end at their next wait. */
  stop(): void {
    this.scheduler.stop();
  }

  private runScript(stationId: string, station: BehaviourStation, script: BehaviourScript): void {
    const entries = script.entries.filter((e) => e.stationId === undefined || e.stationId === stationId);
    const startMs = this.options.clock.nowMs();
    // One step waits per station at a time: the next is scheduled when this one is submitted.
    const next = (index: number) => {
      const entry: ScriptEntry | undefined = entries[index];
      if (entry === undefined) return;
      this.scheduler.at(startMs + entry.atMs, () => {
        // Submitted in file order into the station's queue; it runs when its turn comes.
        void station.submit(entry.command, 'behaviour');
        next(index + 1);
      });
    };
    next(0);
  }

  private runProfile(stationId: string, station: BehaviourStation, profile: BehaviourProfile): void {
    const random: RandomSource = seededRandom(this.options.seed, stationId);
    const busy = new Set<number>();
    const arrive = () => {
      // Arrivals are independent of occupancy (a Poisson process); an EV finding no free EVSE leaves.
      this.scheduler.after(exponentialMs(random, profile.arrivalsPerHour), arrive);
      const free = freeEvses(station, busy);
      if (free.length === 0) return;
      const evseId = free[Math.floor(random() * free.length)] as number;
      busy.add(evseId);
      this.sessionsStarted++;
      runEvSession(
        {
          station,
          profile,
          random,
          sleep: (ms) => this.scheduler.sleep(ms),
          running: () => this.scheduler.running,
        },
        evseId,
      )
        .catch((error: unknown) => this.options.onError?.(stationId, error))
        .finally(() => busy.delete(evseId));
    };
    this.scheduler.after(exponentialMs(random, profile.arrivalsPerHour), arrive);
  }
}
