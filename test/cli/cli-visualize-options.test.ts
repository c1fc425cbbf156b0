/** `--visualize [port]` and `--replay <file>` on the command line (docs/cli.md). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { CliUsageError, parseCliOptions } from '../../src/cli/cli-options.js';

const run = (argv: string[]) => {
  const parsed = parseCliOptions(argv, '/base');
  assert.equal(parsed.kind, 'run');
  return parsed.kind === 'run' ? parsed.options : assert.fail();
};

test('--visualize takes an optional port; none (or 0) means a free port', () => {
  assert.equal(run([]).visualizePort, undefined);
  assert.equal(run(['--visualize']).visualizePort, 0);
  assert.equal(run(['--visualize', '--json']).visualizePort, 0);
  assert.equal(run(['--visualize', '8080']).visualizePort, 8080);
  assert.equal(run(['--visualize=8081', '--json']).visualizePort, 8081);
  assert.equal(run(['--json', '--visualize', '0']).visualizePort, 0);
});

test('a bad --visualize port is a usage error naming it', () => {
  for (const bad of ['abc', '65536', '-1x', '8080.5']) {
    assert.throws(() => parseCliOptions(['--visualize', bad]), (error: unknown) => {
      assert.ok(error instanceof CliUsageError, bad);
      assert.match(error.message, bad.startsWith('-') ? /Unknown option|-1x/ : new RegExp(`--visualize "${bad.replace('.', '\\.')}": a port is an integer 0-65535`));
      return true;
    });
  }
});

test('--replay resolves the recording against the start directory and implies --visualize', () => {
  const options = run(['--replay', 'rec/session.jsonl']);
  assert.equal(options.replayFile, path.resolve('/base', 'rec/session.jsonl'));
  assert.equal(options.visualizePort, 0);
  assert.equal(run(['--replay', '/abs.jsonl', '--visualize', '9000']).visualizePort, 9000);
  assert.throws(() => parseCliOptions(['--replay', ' ']), /--replay: the recording path is empty/);
  assert.throws(() => parseCliOptions(['--replay']), /argument missing/);
});
