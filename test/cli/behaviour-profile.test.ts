import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BehaviourProfileError,
  DEFAULT_PROFILE,
  parseBehaviourProfile,
  parseDurationMs,
} from '../../src/cli/behaviour-profile.js';
import {
  BehaviourScriptError,
  checkScriptStations,
  parseBehaviourScript,
} from '../../src/cli/behaviour-script.js';
import { CliUsageError, parseCliOptions } from '../../src/cli/cli-options.js';

test('durations: units, sums and no bare numbers', () => {
  const cases: Array<[string, number | undefined]> = [
    ['500ms', 500],
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['30min', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['0.5h', 1_800_000],
    ['1d', 86_400_000],
    ['0s', 0],
    ['10', undefined],
    ['', undefined],
    ['-5s', undefined],
    ['5 s', undefined],
    ['1w', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseDurationMs(text), expected, text);
});

test('a profile: every key, units, ranges and weights', () => {
  const profile = parseBehaviourProfile(
    'plug=6/h, auth-first=30%, auth-delay=5s..30s, charge=30m..2h, power=3.7kW..11000W, stop=ev:5/token:3/unplug:2, leave=1m',
  );
  assert.deepEqual(profile, {
    arrivalsPerHour: 6,
    authFirst: 0.3,
    authDelayMs: { min: 5_000, max: 30_000 },
    chargeMs: { min: 1_800_000, max: 7_200_000 },
    powerW: { min: 3_700, max: 11_000 },
    stop: [
      { value: 'ev', weight: 5 },
      { value: 'token', weight: 3 },
      { value: 'unplug', weight: 2 },
    ],
    leaveMs: { min: 60_000, max: 60_000 },
  });
  // Rates in other units are per hour; keys left out take the defaults.
  assert.equal(parseBehaviourProfile('plug=2/s').arrivalsPerHour, 7_200);
  assert.equal(parseBehaviourProfile('plug=0.5/min').arrivalsPerHour, 30);
  assert.equal(parseBehaviourProfile('plug=24/d').arrivalsPerHour, 1);
  const only = parseBehaviourProfile('stop=token');
  assert.deepEqual(only.stop, [{ value: 'token', weight: 1 }]);
  assert.deepEqual(only.chargeMs, DEFAULT_PROFILE.chargeMs);
  assert.equal(only.powerW, undefined);
  assert.equal(parseBehaviourProfile('power=7.4kW').powerW?.min, 7_400);
});

test('bad profiles: the message names the key and what was expected', () => {
  const cases: Array<[string, RegExp]> = [
    ['plug=often', /^plug="often": expected a rate greater than 0 such as 6\/h/],
    ['plug=0/h', /^plug="0\/h": expected a rate greater than 0/],
    ['auth-first=1.5', /^auth-first="1.5": expected a probability from 0 to 1/],
    ['charge=2h..30m', /^charge="2h\.\.30m": expected a duration or min\.\.max/],
    ['charge=0s', /^charge="0s": expected a charging time greater than 0/],
    ['leave=10', /^leave="10": expected a duration/],
    ['power=0kW', /^power="0kW": expected a power greater than 0/],
    ['power=11kVA', /^power="11kVA"/],
    ['stop=ev:2/battery', /^stop="ev:2\/battery": expected ev, token, unplug or weighted choices/],
    ['stop=ev:0', /^stop="ev:0": expected at least one weight greater than 0/],
    ['stop=ev/ev', /^stop="ev\/ev": expected ev at most once/],
    ['speed=3', /^unknown key "speed" \(one of plug, auth-first, auth-delay, charge, power, stop, leave\)/],
    ['plug=1/h,plug=2/h', /^plug is given twice/],
    ['plug=1/h,,charge=1m', /^empty item in "plug=1\/h,,charge=1m"/],
    ['plug', /^"plug": expected key=value/],
    [' , ', /^the profile is empty/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseBehaviourProfile(text),
      (error: unknown) => {
        assert.ok(error instanceof BehaviourProfileError, text);
        assert.match(error.message, message, text);
        return true;
      },
    );
  }
});

test('--behaviour and --seed on the command line', () => {
  const run = (args: string[]) => {
    const parsed = parseCliOptions(args, '/tmp/base');
    assert.equal(parsed.kind, 'run');
    return parsed.kind === 'run' ? parsed.options : undefined;
  };
  const profile = run(['--behaviour', 'plug=6/h', '--seed', '42']);
  assert.equal(profile?.behaviour?.kind, 'profile');
  assert.equal(profile?.seed, 42);
  // Without '=' it is a script file, resolved against the directory the user started from.
  assert.deepEqual(run(['--behaviour', 'morning.txt'])?.behaviour, {
    kind: 'script',
    file: '/tmp/base/morning.txt',
  });
  assert.equal(run([])?.behaviour, undefined);

  const usage: Array<[string[], RegExp]> = [
    [['--behaviour', 'plug=fast'], /^--behaviour plug="fast": expected a rate/],
    [['--behaviour', ''], /^--behaviour: empty/],
    [['--seed', '1'], /^--seed: only with --behaviour/],
    [['--behaviour', 'plug=1/h', '--seed=-1'], /^--seed "-1": expected a whole number from 0 to 4294967295/],
    [['--behaviour', 'plug=1/h', '--seed', '4294967296'], /^--seed "4294967296"/],
    [['--behaviour', 'x.txt', '--replay', 'log.jsonl'], /^--behaviour: no station runs with --replay/],
  ];
  for (const [args, message] of usage) {
    assert.throws(
      () => parseCliOptions(args, '/tmp'),
      (error: unknown) => error instanceof CliUsageError && message.test(error.message),
      args.join(' '),
    );
  }
});

test('a script: absolute and relative times, station addresses, comments', () => {
  const script = parseBehaviourScript(
    ['# arrival', '0s plug 1', '+5s @CP00002 auth TOKEN-1 1', '', '1m30s   charge 1', '+0s quit'].join('\n'),
    'morning.txt',
  );
  assert.deepEqual(script.entries, [
    { line: 2, atMs: 0, command: 'plug 1' },
    { line: 3, atMs: 5_000, stationId: 'CP00002', command: 'auth TOKEN-1 1' },
    { line: 5, atMs: 90_000, command: 'charge 1' },
    { line: 6, atMs: 90_000, command: 'quit' },
  ]);
  checkScriptStations(script, new Set(['CP00001', 'CP00002']));
  assert.throws(
    () => checkScriptStations(script, new Set(['CP00001', 'CP00003'])),
    /^BehaviourScriptError: morning.txt:3: no station "CP00002" in this run \(CP00001 \.\. CP00003\)$/,
  );
});

test('bad scripts: the message names the file and the line', () => {
  const cases: Array<[string, RegExp]> = [
    ['0s plug 1\nsoon plug 2', /^s.txt:2: "soon" is not a time/],
    ['0s plug x', /^s.txt:1: plug: <evse> must be a positive integer, got 'x'/],
    ['\n\n5s teleport 1', /^s.txt:3: unknown command 'teleport'/],
    ['10s plug 1\n5s charge 1', /^s.txt:2: 5s is before the previous line's time \(10 s\)/],
    ['plug', /^s.txt:1: expected '<time> \[@stationId\] <command>', got "plug"/],
    ['0s @CP1', /^s.txt:1: no command after @CP1/],
    ['# nothing\n\n', /^s.txt: no commands/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseBehaviourScript(text, 's.txt'),
      (error: unknown) => {
        assert.ok(error instanceof BehaviourScriptError, text);
        assert.match(error.message, message, text);
        return true;
      },
    );
  }
});
