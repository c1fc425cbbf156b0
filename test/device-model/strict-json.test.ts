import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicateKeys, parseJsonStrict } from '../../src/device-model/strict-json.js';

test('valid JSON parses as JSON.parse does', () => {
  const text = '{"a": [1, {"b": "x\\"y", "c": null}], "d": {"e": true}, "a\\u0062": 2}';
  assert.deepEqual(parseJsonStrict(text), JSON.parse(text));
  assert.deepEqual(findDuplicateKeys(text), []);
});

test('duplicate keys are found with their object path and line, at any depth', () => {
  const text = [
    '{',
    '  "name": "TxCtrlr",',
    '  "properties": {',
    '    "A": {"x": 1},',
    '    "B": [{"k": 1, "k": 2}],',
    '    "A": {}',
    '  },',
    '  "name": "Other"',
    '}',
  ].join('\n');
  assert.deepEqual(findDuplicateKeys(text), [
    { path: '$.properties.B[0]', key: 'k', line: 5 },
    { path: '$.properties', key: 'A', line: 6 },
    { path: '$', key: 'name', line: 8 },
  ]);
  assert.throws(
    () => parseJsonStrict(text),
    /duplicate key 'k' in \$\.properties\.B\[0\] \(line 5\); duplicate key 'A' in \$\.properties \(line 6\); duplicate key 'name' in \$ \(line 8\)/,
  );
});

test('keys spelled with escapes are compared by value; equal strings in values are not keys', () => {
  assert.deepEqual(findDuplicateKeys('{"ab": 1, "a\\u0062": 2}'), [{ path: '$', key: 'ab', line: 1 }]);
  assert.deepEqual(findDuplicateKeys('{"a": "a", "b": ["a", "a"]}'), []);
  // Structural characters, escaped quotes and a trailing escaped backslash inside strings are text.
  assert.deepEqual(findDuplicateKeys('{"s": "{[,:}]\\\\", "t": "\\"}", "s": 1}'), [
    { path: '$', key: 's', line: 1 },
  ]);
});

test('invalid JSON throws a SyntaxError', () => {
  assert.throws(() => parseJsonStrict('{"a": 1,}'), SyntaxError);
});
