import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  COMMAND_USAGE,
  CommandSyntaxError,
  HELP_TEXT,
  parseCommand,
} from '../../src/cli/console-commands.js';

test('every command parses with its arguments and defaults', () => {
  const cases: Array<[string, unknown]> = [
    ['help', { name: 'help' }],
    ['plug 1', { name: 'plug', evseId: 1, connectorId: undefined }],
    ['plug 2 1', { name: 'plug', evseId: 2, connectorId: 1 }],
    ['unplug 1', { name: 'unplug', evseId: 1, connectorId: undefined }],
    ['unplug 2 3', { name: 'unplug', evseId: 2, connectorId: 3 }],
    ['auth 04A2B3C4', { name: 'auth', idToken: '04A2B3C4', tokenType: 'ISO14443', evseId: undefined }],
    ['auth 04A2B3C4 2', { name: 'auth', idToken: '04A2B3C4', tokenType: 'ISO14443', evseId: 2 }],
    ['auth 1234 keycode', { name: 'auth', idToken: '1234', tokenType: 'KeyCode', evseId: undefined }],
    ['auth EMAID-1 eMAID 1', { name: 'auth', idToken: 'EMAID-1', tokenType: 'eMAID', evseId: 1 }],
    ['charge 1', { name: 'charge', evseId: 1 }],
    ['suspend 2', { name: 'suspend', evseId: 2 }],
    ['meter 1 1500', { name: 'meter', evseId: 1, energyWh: 1500, powerW: undefined }],
    ['meter 2 0 7400', { name: 'meter', evseId: 2, energyWh: 0, powerW: 7400 }],
    ['fault 1', { name: 'fault', evseId: 1, connectorId: undefined }],
    ['clear 1 1', { name: 'clear', evseId: 1, connectorId: 1 }],
    ['offline', { name: 'offline' }],
    ['online', { name: 'online' }],
    ['status', { name: 'status' }],
    ['quit', { name: 'quit' }],
  ];
  for (const [line, expected] of cases) assert.deepEqual(parseCommand(line), expected, line);
});

test('case, surrounding blanks and repeated spaces do not matter; blank lines and # comments are nothing', () => {
  assert.deepEqual(parseCommand('  PLUG   1\t2 \r'), { name: 'plug', evseId: 1, connectorId: 2 });
  assert.equal(parseCommand(''), undefined);
  assert.equal(parseCommand('   \t'), undefined);
  assert.equal(parseCommand('# plug 1 later'), undefined);
});

test('bad lines are refused with a message naming the problem', () => {
  const cases: Array<[string, RegExp]> = [
    ['dance', /unknown command 'dance' \(type 'help' for the list\)/],
    ['plug', /plug: expected 1 to 2 arguments, got no arguments; usage: plug <evse> \[connector\]/],
    ['plug 1 1 1', /plug: expected 1 to 2 arguments, got 3 arguments/],
    ['plug 0', /plug: <evse> must be a positive integer, got '0'/],
    ['plug one', /plug: <evse> must be a positive integer, got 'one'/],
    ['plug 1 -1', /plug: \[connector\] must be a positive integer, got '-1'/],
    ['charge 1.5', /charge: <evse> must be a positive integer, got '1.5'/],
    ['charge', /charge: expected 1 argument, got no arguments/],
    ['suspend 1 2', /suspend: expected 1 argument, got 2 arguments/],
    ['meter 1', /meter: expected 2 to 3 arguments, got 1 argument/],
    ['meter 1 -5', /meter: <Wh> must be a non-negative integer, got '-5'/],
    ['meter 1 10 2.5', /meter: \[W\] must be a non-negative integer, got '2.5'/],
    ['meter 1 99999999999999999999', /meter: <Wh> must be a non-negative integer/],
    ['status now', /status: expected 0 arguments, got 1 argument/],
    ['auth', /auth: expected 1 to 3 arguments, got no arguments/],
    [
      'auth 0123456789012345678901234567890123456',
      /auth: the idToken '0123456789012345678901234567890123456' is not an identifierString of at most 36 characters/,
    ],
    ['auth tok#en', /auth: the idToken 'tok#en' is not an identifierString/],
    ['auth ABC Magnetic', /auth: unknown token type 'Magnetic' \(one of Central, eMAID, ISO14443/],
    ['auth ABC 1 2', /auth: unknown token type '1'/],
    ['auth ABC Local x', /auth: \[evse\] must be a positive integer, got 'x'/],
  ];
  for (const [line, pattern] of cases) {
    assert.throws(
      () => parseCommand(line),
      (e: unknown) => e instanceof CommandSyntaxError && pattern.test(e.message),
      line,
    );
  }
});

test('help lists every command', () => {
  for (const name of Object.keys(COMMAND_USAGE))
    assert.match(HELP_TEXT, new RegExp(`^  ${name}\\b`, 'm'), name);
});

test('limit: an external limit on an EVSE or the station (0), with unit and source, or its release', () => {
  const cases: Array<[string, unknown]> = [
    ['limit 0 20 A SO', { name: 'limit', evseId: 0, source: 'SO', set: { limit: 20, unit: 'A' } }],
    ['limit 1 7400 w', { name: 'limit', evseId: 1, source: 'EMS', set: { limit: 7400, unit: 'W' } }],
    ['limit 2 6.5 A other', { name: 'limit', evseId: 2, source: 'Other', set: { limit: 6.5, unit: 'A' } }],
    ['limit 2 clear', { name: 'limit', evseId: 2, source: 'EMS' }],
    ['LIMIT 0 CLEAR so', { name: 'limit', evseId: 0, source: 'SO' }],
  ];
  for (const [line, expected] of cases) assert.deepEqual(parseCommand(line), expected, line);
  const errors: Array<[string, RegExp]> = [
    ['limit', /limit: expected 2 to 4 arguments, got no arguments/],
    ['limit 1 abc A', /<value> must be a number >= 0 or 'clear', got 'abc'/],
    ['limit 1 -5 A', /<value> must be a number >= 0/],
    ['limit 1 10 kW', /<unit> must be A or W, got 'kW'/],
    ['limit 1 10', /expected 3 to 4 arguments/],
    ['limit 1 10 A CSO', /unknown source 'CSO' \(one of EMS, SO, Other\)/],
    ['limit x 10 A', /<evse> must be a non-negative integer, got 'x'/],
    ['limit 1 clear EMS extra', /expected 2 to 3 arguments/],
  ];
  for (const [line, message] of errors) {
    assert.throws(
      () => parseCommand(line),
      (e: unknown) => e instanceof CommandSyntaxError && message.test(e.message),
      line,
    );
  }
  assert.match(HELP_TEXT, /limit <evse> <value> <A\|W> \[EMS\|SO\|Other\]/);
});

test('masterpass-select: all, or one or more EVSE ids (C16.FR.01, --master-pass-ui)', () => {
  assert.deepEqual(parseCommand('masterpass-select all'), { name: 'masterpass-select', selection: 'all' });
  assert.deepEqual(parseCommand('MasterPass-Select ALL'), { name: 'masterpass-select', selection: 'all' });
  assert.deepEqual(parseCommand('masterpass-select 2'), { name: 'masterpass-select', selection: [2] });
  assert.deepEqual(parseCommand('masterpass-select 1 2 1'), { name: 'masterpass-select', selection: [1, 2] });
  const errors: Array<[string, RegExp]> = [
    ['masterpass-select', /expected 'all' or EVSE ids/],
    ['masterpass-select 0', /<evse> must be a positive integer, got '0'/],
    ['masterpass-select all 1', /<evse> must be a positive integer, got 'all'/],
    ['masterpass-select x', /<evse> must be a positive integer, got 'x'/],
  ];
  for (const [line, message] of errors) {
    assert.throws(
      () => parseCommand(line),
      (e: unknown) => e instanceof CommandSyntaxError && message.test(e.message),
      line,
    );
  }
  assert.match(HELP_TEXT, /masterpass-select all \| masterpass-select <evse> \[<evse> \.\.\.\]/);
});
