import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as flush } from 'node:timers/promises';
import { parseBehaviourProfile } from '../../src/cli/behaviour-profile.js';
import { BehaviourRunner } from '../../src/cli/behaviour-runner.js';
import { BehaviourScheduler, type HostTimer } from '../../src/cli/behaviour-scheduler.js';
import { parseBehaviourScript } from '../../src/cli/behaviour-script.js';
import type { BehaviourStation } from '../../src/cli/behaviour-session.js';
import { exponentialMs, seededRandom } from '../../src/cli/seeded-random.js';
import type { ConnectorHardware } from '../../src/cli/simulated-hardware.js';

/** A station clock and host timer moved by hand: hours of behaviour run in milliseconds. */
function manualTime() {
  let now = 0;
  let nextHandle = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const timer: HostTimer = {
    set: (callback, delayMs) => {
      timers.set(++nextHandle, { at: now + delayMs, callback });
      return nextHandle;
    },
    clear: (handle) => timers.delete(handle as number),
  };
  return {
    clock: { nowMs: () => now },
    timer,
    timers,
    /** Fires every timer due up to `target`, in time order, letting async steps settle between. */
    async advanceTo(target: number) {
      for (;;) {
        let due: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers)
          if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].callback();
        await flush();
      }
      now = target;
      await flush();
    },
  };
}

/** A station whose hardware follows the console lines it is given, and records them with the time. */
function fakeStation(clock: { nowMs(): number }, evseIds = [1, 2]) {
  const lines: Array<{ at: number; line: string }> = [];
  const state = new Map<number, { plugged: boolean; ev: ConnectorHardware['ev']; energyWh: number }>(
    evseIds.map((id) => [id, { plugged: false, ev: 'absent', energyWh: 0 }]),
  );
  const station: BehaviourStation = {
    evses: evseIds.map((id) => ({ id, connectors: [{ id: 1 }] })),
    hardware: {
      activeConnector: (evseId) => {
        const s = state.get(evseId);
        if (!s) throw new Error(`no EVSE ${evseId}`);
        return {
          evseId,
          connectorId: 1,
          ...s,
          faulted: false,
          powerW: 0,
          locked: false,
          lockFail: false,
          parked: false,
          flowing: false,
          fixedCable: false,
        };
      },
    },
    submit: async (line) => {
      lines.push({ at: clock.nowMs(), line });
      const [name, evse] = line.split(' ');
      const s = state.get(Number(line.split(' ').at(-1))) ?? state.get(Number(evse));
      if (!s) return;
      if (name === 'plug') Object.assign(s, { plugged: true, ev: 'connected' });
      if (name === 'charge') s.ev = 'charging';
      if (name === 'suspend') s.ev = 'suspended';
      if (name === 'unplug-ev') s.ev = 'absent';
      if (name === 'unplug') Object.assign(s, { plugged: false, ev: 'absent' });
    },
  };
  return { station, lines };
}

test('the scheduler runs steps in due order (ties in scheduling order) with one host timer, and stop() clears it', async () => {
  const time = manualTime();
  const scheduler = new BehaviourScheduler(time.clock, time.timer);
  const ran: string[] = [];
  scheduler.at(300, () => ran.push('c'));
  scheduler.at(100, () => ran.push('a'));
  scheduler.at(100, () => ran.push('a2'));
  const cancelled = scheduler.at(200, () => ran.push('never'));
  scheduler.after(250, () => ran.push('b'));
  cancelled.cancel();
  assert.equal(time.timers.size, 1, 'one host timer for the earliest step');
  await time.advanceTo(99);
  assert.deepEqual([...ran], []);
  await time.advanceTo(260);
  assert.deepEqual([...ran], ['a', 'a2', 'b']);
  const slept = scheduler.sleep(1_000);
  scheduler.stop();
  assert.equal(await slept, false, 'a sleeper is released with false on stop');
  assert.equal(time.timers.size, 0, 'no host timer is left after stop');
  scheduler.at(0, () => ran.push('after stop'));
  await time.advanceTo(10_000);
  assert.deepEqual([...ran], ['a', 'a2', 'b']);
  assert.equal(await scheduler.sleep(1), false);
});

test('the real host timer does not keep the process alive (unref)', () => {
  const scheduler = new BehaviourScheduler({ nowMs: () => Date.now() });
  scheduler.after(3_600_000, () => assert.fail('never runs'));
  // Were the timer ref'd, node:test would wait an hour for this file; stop() also clears it.
  scheduler.stop();
  assert.equal(scheduler.size, 0);
});

test('seeded draws: the same seed and station give the same stream; another station or seed another', () => {
  const take = (seed: number, id: string) => Array.from({ length: 5 }, seededRandom(seed, id));
  assert.deepEqual(take(7, 'CP00001'), take(7, 'CP00001'));
  assert.notDeepEqual(take(7, 'CP00001'), take(7, 'CP00002'));
  assert.notDeepEqual(take(7, 'CP00001'), take(8, 'CP00001'));
  for (const value of take(1, 'x')) assert.ok(value >= 0 && value < 1);
  // A Poisson process of 6/h has a mean gap of 10 min: 20,000 draws land within 3 %.
  const random = seededRandom(3, 'mean');
  let sum = 0;
  for (let i = 0; i < 20_000; i++) sum += exponentialMs(random, 6);
  assert.ok(Math.abs(sum / 20_000 - 600_000) < 18_000, `mean gap ${sum / 20_000} ms`);
});

/** Runs a profile for `hours` of manual station time on a fake station; returns the lines it typed. */
async function runProfile(profile: string, seed: number, stationId: string, hours: number) {
  const time = manualTime();
  const { station, lines } = fakeStation(time.clock);
  const runner = new BehaviourRunner(
    { kind: 'profile', text: profile, profile: parseBehaviourProfile(profile) },
    { clock: time.clock, seed, timer: time.timer },
  );
  runner.attach(stationId, station);
  runner.attach(stationId, station); // a reboot's second start adds nothing
  for (let t = 0; t <= hours * 3_600_000; t += 60_000) await time.advanceTo(t);
  runner.stop();
  assert.equal(time.timers.size, 0, 'stop leaves no host timer');
  return { lines, sessions: runner.sessions };
}

test('a profile run is reproducible from its seed, and every visit is a complete plug-in to unplug', async () => {
  const profile =
    'plug=2/h,auth-first=0.5,charge=20m..40m,power=7.4kW,stop=ev:1/token:1/unplug:1,leave=1m..5m';
  const first = await runProfile(profile, 42, 'CP00001', 48);
  const again = await runProfile(profile, 42, 'CP00001', 48);
  const other = await runProfile(profile, 43, 'CP00001', 48);
  assert.deepEqual(first.lines, again.lines);
  assert.notDeepEqual(first.lines, other.lines);
  // 2/h on two EVSEs for 48 h: about 96 arrivals, some of them finding both EVSEs taken.
  assert.ok(first.sessions > 50 && first.sessions <= 140, `${first.sessions} sessions`);

  // Per EVSE, each visit: plug, meter (power), charge and auth in the drawn order, an end, unplug.
  const stops = new Set<string>();
  let authFirst = 0;
  for (const evse of [1, 2]) {
    const own = first.lines
      .map((l) => l.line)
      .filter((l) => l.split(' ').at(-1) === String(evse) || l.startsWith(`meter ${evse} `));
    const visits: string[][] = [];
    for (const line of own) {
      const current = visits.at(-1);
      if (current === undefined || current.at(-1)?.startsWith('unplug ')) visits.push([line]);
      else current.push(line);
    }
    for (const visit of visits.slice(0, -1)) {
      const shape = visit.map((l) =>
        l.replace(/EV-[0-9A-F]{8}/, 'T').replace(/^meter (\d) \d+ /, 'meter $1 E '),
      );
      const plug = shape.indexOf(`plug ${evse}`);
      const auth = shape.indexOf(`auth T ${evse}`);
      if (auth < plug) authFirst++;
      assert.deepEqual(shape.slice(plug, plug + 3), [
        `plug ${evse}`,
        `meter ${evse} E 7400`,
        `charge ${evse}`,
      ]);
      const tokens = new Set(visit.filter((l) => l.startsWith('auth ')).map((l) => l.split(' ')[1]));
      assert.equal(tokens.size, 1, 'one driver per visit');
      const end = shape.slice(Math.max(plug + 3, auth + 1));
      if (end[0] === `suspend ${evse}`) {
        stops.add('ev');
        assert.deepEqual(end, [`suspend ${evse}`, `unplug-ev ${evse}`, `unplug ${evse}`]);
      } else if (end[0] === `auth T ${evse}`) {
        stops.add('token');
        assert.deepEqual(end, [`auth T ${evse}`, `unplug ${evse}`]);
      } else {
        stops.add('unplug');
        assert.deepEqual(end, [`unplug-ev ${evse}`, `unplug ${evse}`]);
      }
    }
  }
  assert.deepEqual([...stops].sort(), ['ev', 'token', 'unplug']);
  assert.ok(authFirst > 5, `some drivers authorize first (${authFirst})`);
});

test('a script: lines for every station and for one, at their times after each station started', async () => {
  const time = manualTime();
  const script = parseBehaviourScript('0s plug 1\n+30s @B charge 1\n2m unplug 1', 'script.txt');
  const runner = new BehaviourRunner(
    { kind: 'script', script },
    { clock: time.clock, seed: 1, timer: time.timer },
  );
  const a = fakeStation(time.clock);
  const b = fakeStation(time.clock);
  runner.attach('A', a.station);
  await time.advanceTo(10_000);
  runner.attach('B', b.station);
  await time.advanceTo(3_600_000);
  assert.deepEqual(a.lines, [
    { at: 0, line: 'plug 1' },
    { at: 120_000, line: 'unplug 1' },
  ]);
  assert.deepEqual(b.lines, [
    { at: 10_000, line: 'plug 1' },
    { at: 40_000, line: 'charge 1' },
    { at: 130_000, line: 'unplug 1' },
  ]);
  runner.stop();
});

test('after stop() a visit waiting on the station submits nothing more (no command after quit)', async () => {
  const time = manualTime();
  const { station, lines } = fakeStation(time.clock);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const slow: BehaviourStation = {
    ...station,
    // The station is busy (e.g. stopping): the plug-in waits in its queue.
    submit: async (line, origin) => {
      await station.submit(line, origin);
      if (line.startsWith('plug ')) await held;
    },
  };
  const runner = new BehaviourRunner(
    { kind: 'profile', text: 'plug=60/h', profile: parseBehaviourProfile('plug=60/h,auth-first=0') },
    { clock: time.clock, seed: 9, timer: time.timer },
  );
  runner.attach('CP1', slow);
  while (!lines.some((l) => l.line.startsWith('plug '))) await time.advanceTo(time.clock.nowMs() + 10_000);
  const before = lines.length;
  runner.stop();
  release();
  await time.advanceTo(time.clock.nowMs() + 3_600_000);
  assert.deepEqual(lines.slice(before), []);
  assert.equal(time.timers.size, 0);
});
