import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveList, type DeviceModelPort, type VariableRef } from '../../src/runtime/ports.js';

const COUNT: VariableRef = { component: 'DisplayMessageCtrlr', variable: 'DisplayMessages' };
const LIST = [[COUNT, (c: { n: number }) => String(c.n)]] as const;

test('deriveList: the shared list through deriveAll; one derive per attribute on a port without it; nothing on a port with neither', () => {
  const context = { n: 2 };
  const lists: unknown[] = [];
  deriveList({ deriveAll: (list: unknown, ctx: unknown) => void lists.push([list, ctx]) } as unknown as DeviceModelPort, LIST, context);
  assert.deepEqual(lists, [[LIST, context]]);

  const derived = new Map<string, () => string | undefined>();
  const port = { derive: (ref: VariableRef, value: () => string | undefined) => derived.set(ref.variable, value) !== undefined };
  deriveList(port as unknown as DeviceModelPort, LIST, context);
  context.n = 5;
  assert.equal(derived.get('DisplayMessages')?.(), '5', 'read from the context at every get');

  assert.doesNotThrow(() => deriveList({} as DeviceModelPort, LIST, context));
});
