/** Parsing of the console commands `dm set` and `monitor` (syntax only). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandSyntaxError, parseCommand } from '../../src/cli/console-commands.js';

test('dm set takes the --set path syntax; monitor list / trigger <id>', () => {
  assert.deepEqual(parseCommand('dm set EVSE@1.Power:MaxSet=7400'), {
    name: 'dm',
    path: 'EVSE@1.Power:MaxSet',
    ref: { component: 'EVSE', evseId: 1, variable: 'Power', attribute: 'MaxSet' },
    value: '7400',
  });
  assert.deepEqual(parseCommand('DM SET OCPPCommCtrlr.MessageAttempts[TransactionEvent]=3'), {
    name: 'dm',
    path: 'OCPPCommCtrlr.MessageAttempts[TransactionEvent]',
    ref: { component: 'OCPPCommCtrlr', variable: 'MessageAttempts', variableInstance: 'TransactionEvent' },
    value: '3',
  });
  assert.deepEqual(parseCommand('dm set ChargingStation.Model=A b'), {
    name: 'dm',
    path: 'ChargingStation.Model',
    ref: { component: 'ChargingStation', variable: 'Model' },
    value: 'A b',
  });
  assert.deepEqual(parseCommand('monitor list'), { name: 'monitor', action: 'list' });
  assert.deepEqual(parseCommand('monitor trigger 0'), { name: 'monitor', action: 'trigger', id: 0 });
  for (const [line, pattern] of [
    ['dm get X.Y', /expected 'set <path>=<value>'/],
    ['dm set', /expected 'set <path>=<value>'/],
    ['dm set X=1', /Invalid variable path 'X'/],
    ['monitor trigger', /expected 2 arguments/],
    ['monitor trigger one', /<monitorId> must be a non-negative integer/],
    ['monitor list all', /expected 1 argument/],
    ['monitor clear 1', /expected 'list' or 'trigger <monitorId>'/],
  ] as const) {
    assert.throws(
      () => parseCommand(line),
      (e: unknown) => e instanceof CommandSyntaxError && pattern.test(e.message),
      line,
    );
  }
});
