import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/cli-app.js';
import type { CliEvent } from '../../src/cli/cli-events.js';
import { USAGE } from '../../src/cli/cli-options.js';

const WAIT_MS = 15_000;

function io() {
  const stdin = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  const listeners = new Set<() => void>();
  let signal: ((s: NodeJS.Signals) => void) | undefined;
  let unsubscribed = false;
  const events = () =>
    out
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as CliEvent);
  return {
    stdin,
    out,
    err,
    events,
    raise: (s: NodeJS.Signals) => signal?.(s),
    get unsubscribed() {
      return unsubscribed;
    },
    io: {
      stdin,
      stdout: { write: (t: string) => (out.push(t), listeners.forEach((l) => l())) },
      stderr: { write: (t: string) => err.push(t) },
      cwd: tmpdir(),
      onSignal: (handler: (s: NodeJS.Signals) => void) => {
        signal = handler;
        return () => {
          unsubscribed = true;
        };
      },
    },
    waitFor(description: string, predicate: (e: CliEvent) => boolean): Promise<CliEvent> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events().find(predicate);
          if (!found) return;
          done();
          resolve(found);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${description}:\n${out.join('')}\n${err.join('')}`));
        }, WAIT_MS);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

async function tempDb() {
  return path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-cli-app-')), 'station.db');
}

test('--help prints the usage on stdout and exits 0', async () => {
  const t = io();
  assert.equal(await runCli(['--help'], t.io), 0);
  assert.equal(t.out.join(''), `${USAGE}\n`);
});

test('a bad option exits 2 with the message and a hint on stderr', async () => {
  const t = io();
  assert.equal(await runCli(['--frobnicate'], t.io), 2);
  assert.equal(t.err.join(''), "ocpp-station: Unknown option '--frobnicate'\nTry 'ocpp-station --help'.\n");
  assert.deepEqual(t.out, []);
});

test('a rejected --set value exits 1 naming the variable and the value; the embedded CSMS is closed again', async () => {
  const t = io();
  const code = await runCli(
    ['--json', '--db', await tempDb(), '--set', 'OCPPCommCtrlr.HeartbeatInterval=soon'],
    t.io,
  );
  assert.equal(code, 1);
  const events = t.events();
  const error = events.find((e) => e.type === 'error');
  assert.ok(error?.type === 'error' && error.fatal);
  assert.match(error.message, /OCPPCommCtrlr\.HeartbeatInterval.*'soon'/);
  assert.deepEqual(
    events.filter((e) => e.type === 'csms').map((e) => (e.type === 'csms' ? e.state : '')),
    ['listening', 'closed'],
  );
  assert.deepEqual(events.at(-1) && [events.at(-1)?.type, (events.at(-1) as { code: number }).code], [
    'exit',
    1,
  ]);
  assert.equal(t.unsubscribed, true);
});

test('runs on the embedded CSMS until quit; exit is the last event', async () => {
  const t = io();
  const done = runCli(['--json', '--db', await tempDb(), '--id', 'APP-1'], t.io);
  await t.waitFor('registration Accepted', (e) => e.type === 'registration' && e.status === 'Accepted');
  t.stdin.write('plug 1\nquit\nplug 2\n');
  assert.equal(await done, 0);
  const events = t.events();
  const commands = events
    .filter((e) => e.type === 'command')
    .map((e) => (e.type === 'command' ? [e.line, e.ok, e.message] : []));
  assert.deepEqual(commands, [
    ['plug 1', true, 'EVSE 1 connector 1: cable plugged in'],
    ['quit', true, 'stopping the station'],
    ['plug 2', false, 'not run: the station is stopping (quit)'],
  ]);
  const last = events.at(-1);
  assert.deepEqual(last?.type === 'exit' ? [last.code, last.reason] : last, [0, 'quit']);
});

test('after stdin ends the station runs on until a signal, which exits 0', async () => {
  const t = io();
  const done = runCli(
    ['--json', '--db', await tempDb(), '--id', 'APP-2', '--clock', '2030-01-01T00:00:00Z'],
    t.io,
  );
  await t.waitFor('registration Accepted', (e) => e.type === 'registration' && e.status === 'Accepted');
  t.stdin.end('status\n');
  await t.waitFor('input closed', (e) => e.type === 'input');
  const status = await t.waitFor('status result', (e) => e.type === 'command' && e.line === 'status');
  assert.ok(status.type === 'command');
  assert.match(status.time, /^2030-01-01T/, 'events carry the station time');
  t.raise('SIGINT');
  assert.equal(await done, 0);
  const last = t.events().at(-1);
  assert.deepEqual(last?.type === 'exit' ? [last.code, last.reason] : last, [0, 'SIGINT']);
});
