import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandSyntaxError, parseCommand } from '../../src/cli/console-commands.js';

test('display and customer add parse; the customer text keeps its spaces', () => {
  assert.deepEqual(parseCommand('display'), { name: 'display' });
  assert.deepEqual(parseCommand('  customer  add  cust-1   Jane  Doe, VIP '), {
    name: 'customer',
    action: 'add',
    customerIdentifier: 'cust-1',
    text: 'Jane  Doe, VIP',
  });
});

test('customer and display refuse bad lines with the usage', () => {
  for (const line of ['customer', 'customer add', 'customer add c-1', 'customer remove c-1 x', `customer add ${'x'.repeat(65)} t`, 'display now']) {
    assert.throws(() => parseCommand(line), CommandSyntaxError, line);
  }
  assert.throws(() => parseCommand('customer add c-1'), /usage: customer add <customerIdentifier> <text>/);
});
