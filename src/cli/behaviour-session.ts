/**
 * One EV's visit to a simulated station under a behaviour profile, as the console commands a
 * person standing there would type (docs/cli.md "Behaviour"): nothing here reaches into the
 * library; every step is a line submitted to the station, run by the same path as stdin's lines,
 * and reported as the same `command` events.
 *
 * The visit: the idToken before or after plugging in (`auth-first`), the EV's power set on the
 * meter (`meter <evse> <Wh> <W>`: the simulated meter then integrates that power, so energy grows
 * at exactly the profile's power), `charge`, the charging time, the end (`stop`), and the driver
 * leaving: `unplug-ev` / `unplug` once the station has released the cable lock (E06.FR.10: the lock
 * opens when the transaction ends). A station that is offline keeps doing all of this: its
 * messages queue (E04) as real hardware's would.
 */
import type { EvseStructure } from '../handlers/handler-context.js';
import type { BehaviourProfile, NumberRange } from './behaviour-profile.js';
import { pick, uniform, type RandomSource } from './seeded-random.js';
import type { ConnectorHardware } from './simulated-hardware.js';

/** What a behaviour drives: the simulated station's console and a view of its hardware. */
export interface BehaviourStation {
  readonly evses: readonly EvseStructure[];
  readonly hardware: { activeConnector(evseId: number): ConnectorHardware };
  /** Runs one console line as if typed on stdin (its event marked `behaviour`); resolves when it has run. */
  submit(line: string, origin: 'behaviour'): Promise<void>;
}

export interface SessionContext {
  station: BehaviourStation;
  profile: BehaviourProfile;
  random: RandomSource;
  /** Station-clock sleep; false when the behaviour was stopped (the session then ends). */
  sleep(delayMs: number): Promise<boolean>;
  /** False once the behaviour has stopped: no further line is submitted (nothing after `quit`). */
  running(): boolean;
}

/** How often the driver looks whether the cable lock has opened, and for how long at most. */
const LOCK_POLL_MS = 500;
const LOCK_WAIT_MS = 60_000;

/**
 * Runs one EV's visit on `evseId`; resolves when the driver has left (or the behaviour stopped).
 *
 * @example
 * await runEvSession({ station, profile, random: seededRandom(7, 'CP00001'), sleep: (ms) => scheduler.sleep(ms) }, 1);
 */
export async function runEvSession(ctx: SessionContext, evseId: number): Promise<void> {
  const { station, profile, random, sleep } = ctx;
  const draw = (range: NumberRange) => uniform(random, range.min, range.max);
  const token = `EV-${Math.floor(random() * 0x1_0000_0000)
    .toString(16)
    .toUpperCase()
    .padStart(8, '0')}`;
  const authFirst = random() < profile.authFirst;
  const authDelay = draw(profile.authDelayMs);
  const chargeMs = draw(profile.chargeMs);
  const powerW = profile.powerW === undefined ? undefined : Math.round(draw(profile.powerW));
  const stop = pick(random, profile.stop);
  const leaveMs = draw(profile.leaveMs);
  const connector = () => station.hardware.activeConnector(evseId);
  const submit = async (line: string) => {
    if (ctx.running()) await station.submit(line, 'behaviour');
  };

  const plugAndAsk = async (): Promise<boolean> => {
    await submit(`plug ${evseId}`);
    if (!connector().plugged || connector().ev === 'absent') return false;
    // The EV's on-board charger decides the power; the meter integrates it while energy flows.
    if (powerW !== undefined) await submit(`meter ${evseId} ${connector().energyWh} ${powerW}`);
    await submit(`charge ${evseId}`);
    return true;
  };

  if (authFirst) {
    await submit(`auth ${token} ${evseId}`);
    if (!(await sleep(authDelay))) return;
    if (!(await plugAndAsk())) return;
  } else {
    if (!(await plugAndAsk())) return;
    if (!(await sleep(authDelay))) return;
    await submit(`auth ${token} ${evseId}`);
  }
  if (!(await sleep(chargeMs))) return;

  switch (stop) {
    case 'ev':
      // The battery is full: the EV stops drawing power (SuspendedEV); the driver comes back later.
      if (connector().ev === 'charging') await submit(`suspend ${evseId}`);
      if (!(await sleep(leaveMs))) return;
      if (connector().ev !== 'absent') await submit(`unplug-ev ${evseId}`);
      break;
    case 'token':
      // The driver presents the idToken again: a local stop (stoppedReason Local, E06/C01).
      await submit(`auth ${token} ${evseId}`);
      if (!(await sleep(leaveMs))) return;
      break;
    case 'unplug':
      // The driver pulls the cable from the EV while it still charges (EVDisconnected).
      if (connector().ev !== 'absent') await submit(`unplug-ev ${evseId}`);
      break;
  }
  // The socket's cable comes out once the station has released its lock (transaction ended).
  for (let waited = 0; connector().locked && waited < LOCK_WAIT_MS; waited += LOCK_POLL_MS) {
    if (!(await sleep(LOCK_POLL_MS))) return;
  }
  if (connector().plugged) await submit(`unplug ${evseId}`);
}

/**
 * The EVSEs an arriving EV can use: no cable in, no fault, and no visit of this behaviour on it.
 *
 * @example
 * freeEvses(station, new Set([1])); // [2] when EVSE 2 is empty
 */
export function freeEvses(station: BehaviourStation, busy: ReadonlySet<number>): number[] {
  return station.evses
    .map((evse) => evse.id)
    .filter((id) => {
      if (busy.has(id)) return false;
      const c = station.hardware.activeConnector(id);
      return !c.plugged && c.ev === 'absent' && !c.faulted;
    });
}
