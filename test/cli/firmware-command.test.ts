/**
 * Parsing of the simulated station's firmware contract (docs/cli.md): `--firmware-during-tx` and the
 * console command `firmware next <outcome>`, with the precise errors a tool gets for bad input. The
 * behaviour behind them runs in firmware-cli.test.ts (CLI process against the strict test CSMS).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CliUsageError, parseCliOptions } from '../../src/cli/cli-options.js';
import { CommandSyntaxError, HELP_TEXT, parseCommand } from '../../src/cli/console-commands.js';

test('--firmware-during-tx (L01.FR.06/13/33): none, download and all are taken; absent is left to the default (download); anything else names the option and the values', () => {
  for (const value of ['none', 'download', 'all'] as const) {
    const parsed = parseCliOptions(['--firmware-during-tx', value]);
    assert.equal(parsed.kind === 'run' && parsed.options.firmwareDuringTx, value);
  }
  const plain = parseCliOptions([]);
  assert.equal(plain.kind === 'run' && 'firmwareDuringTx' in plain.options, false);
  assert.throws(
    () => parseCliOptions(['--firmware-during-tx', 'All']),
    (e: unknown) =>
      e instanceof CliUsageError && e.message === '--firmware-during-tx "All": expected one of none, download, all',
  );
  assert.throws(() => parseCliOptions(['--firmware-during-tx']), CliUsageError);
});

test('firmware next <outcome> (L01.FR.28/29): the three outcomes, case-insensitive; a missing or unknown one is a precise error; help lists the command', () => {
  assert.deepEqual(parseCommand('firmware next Installed'), { name: 'firmware', action: 'next', outcome: 'Installed' });
  assert.deepEqual(parseCommand('FIRMWARE NEXT installverificationfailed'), {
    name: 'firmware',
    action: 'next',
    outcome: 'InstallVerificationFailed',
  });
  assert.deepEqual(parseCommand('firmware next InstallationFailed'), {
    name: 'firmware',
    action: 'next',
    outcome: 'InstallationFailed',
  });
  const error = (line: string) => {
    try {
      parseCommand(line);
    } catch (e) {
      assert.ok(e instanceof CommandSyntaxError);
      return e.message;
    }
    assert.fail(`'${line}' parsed`);
  };
  const usage = 'usage: firmware next <Installed|InstallVerificationFailed|InstallationFailed>';
  assert.equal(error('firmware'), `firmware: expected 'next <outcome>'; ${usage}`);
  assert.equal(error('firmware later Installed'), `firmware: expected 'next <outcome>'; ${usage}`);
  assert.equal(error('firmware next'), `firmware: expected 2 arguments, got 1 argument; ${usage}`);
  assert.equal(
    error('firmware next Bricked'),
    "firmware: unknown outcome 'Bricked' (one of Installed, InstallVerificationFailed, InstallationFailed)",
  );
  assert.match(HELP_TEXT, /firmware next <Installed\|InstallVerificationFailed\|InstallationFailed>/);
});
