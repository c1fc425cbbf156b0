import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FLEET_PATTERN, FleetIdError, fleetIdentity } from '../../src/cli/fleet-ids.js';
import { CliUsageError, parseCliOptions } from '../../src/cli/cli-options.js';

test('fleet identities: %d plain, %0<w>d zero-padded, numbered from 1', () => {
  assert.equal(fleetIdentity('CP%05d', 1000, 1), 'CP00001');
  assert.equal(fleetIdentity('CP%05d', 1000, 1000), 'CP01000');
  assert.equal(fleetIdentity('site-a-%d', 20, 12), 'site-a-12');
  assert.equal(fleetIdentity('%03d.east', 5, 5), '005.east');
  // A width smaller than the number does not cut it.
  assert.equal(fleetIdentity('X%02d', 200, 123), 'X123');
  assert.equal(DEFAULT_FLEET_PATTERN, 'CP%05d');
});

test('bad fleet patterns are refused, naming the pattern and the problem', () => {
  const refused = (pattern: string, count: number, message: RegExp) =>
    assert.throws(
      () => fleetIdentity(pattern, count, 1),
      (error: unknown) => error instanceof FleetIdError && message.test(error.message),
    );
  refused('CP', 3, /--id "CP": with --count 3 .* exactly one number placeholder.*found 0/);
  refused('CP%d-%d', 3, /--id "CP%d-%d": .*found 2/);
  refused('CP%5d', 3, /--id "CP%5d": .*found 0/);
  refused('CP%s%d', 3, /--id "CP%s%d": '%' is allowed only in the number placeholder/);
  refused('CP:%d', 3, /--id "CP:%d": station 3 would be "CP:3", not an identity/);
  refused(`${'x'.repeat(46)}%d`, 100, /station 100 would be "x{46}100", not an identity of 1-48/);
});

test('--count and --rate: parsed, and refused with a message naming the option', () => {
  const options = (argv: string[]) => {
    const parsed = parseCliOptions(argv, '/tmp');
    assert.equal(parsed.kind, 'run');
    return parsed.kind === 'run' ? parsed.options : undefined;
  };
  assert.deepEqual(
    (({ stationId, count, rate }) => ({ stationId, count, rate }))(
      options(['--count', '3', '--rate', '2.5'])!,
    ),
    { stationId: 'CP%05d', count: 3, rate: 2.5 },
  );
  assert.equal(options(['--count', '2', '--id', 'EV-%03d'])?.stationId, 'EV-%03d');
  // --count 1 is the single-station CLI: the identity is not a pattern.
  assert.equal(options(['--count', '1', '--id', 'ONE'])?.stationId, 'ONE');

  const refused = (argv: string[], message: RegExp) =>
    assert.throws(
      () => parseCliOptions(argv, '/tmp'),
      (error: unknown) => error instanceof CliUsageError && message.test(error.message),
    );
  refused(['--count', '0'], /^--count "0": expected a whole number from 1 to 100000$/);
  refused(['--count=-2'], /--count "-2": expected a whole number/);
  refused(['--count', '2.5'], /--count "2.5": expected a whole number/);
  refused(['--count', 'many'], /--count "many"/);
  refused(['--count', '100001'], /--count "100001"/);
  refused(['--rate', '0'], /^--rate "0": expected a number greater than 0$/);
  refused(['--rate', 'fast'], /--rate "fast"/);
  refused(['--count', '3', '--id', 'CP'], /--id "CP": with --count 3 the identity is a pattern/);
});
