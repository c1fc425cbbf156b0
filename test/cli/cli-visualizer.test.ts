/** `--visualize [port]`, `--replay <file>` and the `state` / `visualizer` events of the CLI (docs/cli.md). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/cli-app.js';
import { humanLine } from '../../src/cli/cli-events.js';
import { CliUsageError, parseCliOptions } from '../../src/cli/cli-options.js';
import { WebSocket } from 'ws';
import { waitFor } from '../../src/testing/index.js';
import type { PageMessage } from '../../src/visualizer/index.js';
import { inProcessCliIo } from './helpers/in-process-cli.js';

/** runCli in this process: stdin a pipe, stdout parsed as JSON lines, a wait on them. */
const cliIo = () => inProcessCliIo();

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
    assert.throws(
      () => parseCliOptions(['--visualize', bad]),
      (error: unknown) => {
        assert.ok(error instanceof CliUsageError, bad);
        assert.match(
          error.message,
          bad.startsWith('-')
            ? /Unknown option|-1x/
            : new RegExp(`--visualize "${bad.replace('.', '\\.')}": a port is an integer 0-65535`),
        );
        return true;
      },
    );
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

test('state events are JSON only; the visualizer event has a human line', () => {
  const time = '2026-03-29T00:30:05.123Z';
  assert.equal(
    humanLine({
      type: 'state',
      actor: 'boot',
      machine: 'boot',
      value: 'registering',
      event: 'connection.up',
      status: 'active',
      time,
    }),
    undefined,
  );
  assert.equal(
    humanLine({ type: 'visualizer', url: 'http://127.0.0.1:8080/', time }),
    '00:30:05 visualizer: open http://127.0.0.1:8080/ in a browser',
  );
  assert.equal(
    humanLine({ type: 'visualizer', url: 'http://127.0.0.1:8080/', replay: '/r/s.jsonl', time }),
    '00:30:05 visualizer: open http://127.0.0.1:8080/ in a browser (replay of /r/s.jsonl)',
  );
});

test('--replay: the page serves the recording; stdin takes only quit', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-cli-replay-'));
  const file = path.join(dir, 'session.jsonl');
  await writeFile(
    file,
    '{"type":"station","state":"starting","stationId":"CS-R","boot":1,"time":"2026-01-01T00:00:00.000Z"}\n' +
      '{"type":"ocpp","direction":"out","frame":[2,"1","Heartbeat",{}],"time":"2026-01-01T00:00:01.000Z"}\n',
  );
  const t = cliIo();
  const exit = runCli(['--json', '--replay', file], t.io);
  const shown = await t.until('the visualizer event', (e) => e.type === 'visualizer');
  assert.ok(shown.type === 'visualizer');
  assert.equal(shown.replay, file);
  const page = await fetch(shown.url);
  assert.equal(page.status, 200);
  t.stdin.write('plug 1\n');
  const refused = await t.until('the refused command', (e) => e.type === 'command');
  assert.deepEqual(refused.type === 'command' && [refused.ok, refused.message], [
    false,
    'no station runs with --replay: only quit',
  ]);
  t.stdin.write('quit\n');
  assert.equal(await exit, 0);
  assert.deepEqual(
    t.events().map((e) => e.type),
    ['visualizer', 'command', 'command', 'exit'],
  );
  await assert.rejects(fetch(shown.url), 'the server is closed');
});

test('--replay of a file that is no recording exits 1 naming the file and line', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-cli-replay-'));
  const file = path.join(dir, 'notes.txt');
  await writeFile(file, '{"type":"exit","code":0}\nhello\n');
  const t = cliIo();
  assert.equal(await runCli(['--json', '--replay', file], t.io), 1);
  const error = t.events().find((e) => e.type === 'error');
  assert.ok(error?.type === 'error' && error.fatal);
  assert.equal(error.message.startsWith(`${file}:2: not JSON`), true, error.message);
});

test('--visualize on a port in use exits 1 naming the port; the embedded CSMS is closed again', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const port = (blocker.address() as AddressInfo).port;
  const cli = cliIo();
  assert.equal(await runCli(['--json', '--db', ':memory:', '--visualize', String(port)], cli.io), 1);
  const error = cli.events().find((e) => e.type === 'error');
  assert.ok(error?.type === 'error');
  assert.equal(
    error.message,
    `--visualize ${port}: the port is in use (give another, or none for a free one)`,
  );
  assert.deepEqual(
    cli.events().flatMap((e) => (e.type === 'csms' ? [e.state] : [])),
    ['listening', 'closed'],
  );
});

test('--count 3 --visualize: one page; its websocket lists every station of the fleet, each with its own frames and actors', async () => {
  const cli = cliIo();
  const exit = runCli(
    ['--json', '--db', ':memory:', '--count', '3', '--id', 'FLEET-%d', '--visualize'],
    cli.io,
  );
  const shown = await cli.until('the visualizer event', (e) => e.type === 'visualizer');
  assert.ok(shown.type === 'visualizer');
  const ids = ['FLEET-1', 'FLEET-2', 'FLEET-3'];
  const messages: PageMessage[] = [];
  const changes = new EventTarget();
  const socket = new WebSocket(`${shown.url.replace('http', 'ws')}ws`);
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as PageMessage);
    changes.dispatchEvent(new Event('change'));
  });
  try {
    // The stations attach as the fleet is made, before the page connects: the hello lists them all.
    const hello = await waitFor(changes, () => messages.find((m) => m.type === 'hello'), 'hello', 60_000);
    assert.ok(hello.type === 'hello');
    assert.deepEqual(hello.stations, ids);
    const events = (station: string) =>
      messages.flatMap((m) => (m.type === 'events' && m.station === station ? m.events : []));
    for (const id of ids) {
      // Each station's boot under its own id: its BootNotification CALL (the CSMS is told its
      // identity by the connection URL) and its boot actor accepted.
      await waitFor(
        changes,
        () =>
          events(id).some(
            (e) =>
              e.type === 'state' && e.actor === 'boot' && JSON.stringify(e.value) === '{"accepted":"idle"}',
          ) || undefined,
        `${id}: boot accepted`,
        60_000,
      );
      assert.ok(
        events(id).some(
          (e) =>
            e.type === 'frame' &&
            e.direction === 'out' &&
            Array.isArray(e.frame) &&
            e.frame[2] === 'BootNotification',
        ),
        `${id}: its BootNotification frame`,
      );
      assert.ok(events(id).some((e) => e.type === 'state' && e.actor === 'connector:1:1'));
    }
    // The frames of one station are its own: a command to FLEET-2 shows on FLEET-2's timeline only.
    // (Counting every StatusNotification would race the others' initial reports; Occupied comes
    // only from the plug.)
    const occupied = (id: string) =>
      events(id).some(
        (e) =>
          e.type === 'frame' &&
          Array.isArray(e.frame) &&
          e.frame[2] === 'StatusNotification' &&
          (e.frame[3] as { connectorStatus?: string } | undefined)?.connectorStatus === 'Occupied',
      );
    cli.stdin.write('@FLEET-2 plug 1\n');
    await waitFor(changes, () => occupied('FLEET-2') || undefined, 'FLEET-2 Occupied', 60_000);
    assert.deepEqual([occupied('FLEET-1'), occupied('FLEET-3')], [false, false]);
  } finally {
    socket.close();
    // Also when an assertion failed: the CLI must end, or the test file never does.
    cli.stdin.write('quit\n');
  }
  assert.equal(await exit, 0);
  // A fleet's log has no state events (a recording replays one station).
  assert.ok(!cli.events().some((e) => e.type === 'state'));
});
