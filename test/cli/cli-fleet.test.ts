import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/cli-app.js';
import type { CliEvent } from '../../src/cli/cli-events.js';
import { startTestCsms } from '../../src/testing/index.js';

const WAIT_MS = 30_000;

/** runCli on in-memory stdin/stdout; `tty` makes stdout a terminal (the fleet's progress line). */
function cli(args: string[], options: { tty?: boolean } = {}) {
  const stdin = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  const changes = new EventTarget();
  const events = () =>
    out
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as CliEvent);
  const done = runCli(args, {
    stdin,
    stdout: {
      write: (t: string) => (out.push(t), changes.dispatchEvent(new Event('change'))),
      ...(options.tty ? { isTTY: true } : {}),
    },
    stderr: { write: (t: string) => err.push(t) },
    cwd: tmpdir(),
  });
  const until = (description: string, check: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const listener = () => {
        if (!check()) return;
        clearTimeout(timer);
        changes.removeEventListener('change', listener);
        resolve();
      };
      const timer = setTimeout(() => {
        changes.removeEventListener('change', listener);
        reject(
          new Error(`timed out waiting for ${description}:\n${out.join('').slice(-4000)}\n${err.join('')}`),
        );
      }, WAIT_MS);
      changes.addEventListener('change', listener);
      listener();
    });
  return { stdin, out, err, events, done, until };
}

async function tempDb() {
  return path.join(await mkdtemp(path.join(tmpdir(), 'ocpp-cli-fleet-')), 'fleet.db');
}

test('--count 3 boots 3 stations with the pattern ids on one database; every station event carries stationId', async () => {
  const csms = await startTestCsms();
  try {
    const db = await tempDb();
    const run = cli([
      '--json',
      '--csms',
      csms.url,
      '--count',
      '3',
      '--id',
      'FLT-%03d',
      '--db',
      db,
      '--rate',
      '50',
    ]);
    const accepted = () =>
      run
        .events()
        .filter((e) => e.type === 'registration' && e.status === 'Accepted')
        .map((e) => e.stationId);
    await run.until('3 registrations Accepted', () => accepted().length === 3);
    assert.deepEqual(accepted().sort(), ['FLT-001', 'FLT-002', 'FLT-003']);
    // The CSMS saw three stations, each under its own identity (the last URL segment).
    const boots = csms.calls.filter((c) => c.action === 'BootNotification').map((c) => c.identity);
    assert.deepEqual([...boots].sort(), ['FLT-001', 'FLT-002', 'FLT-003']);
    assert.deepEqual(csms.validationFailures, []);

    // A command to one station; a bad address is a precise command error.
    run.stdin.write('@FLT-002 plug 1\n@FLT-009 plug 1\n');
    await run.until('the plug result', () =>
      run.events().some((e) => e.type === 'command' && e.line === 'plug 1' && e.stationId === 'FLT-002'),
    );
    const plugged = await csms.waitForCall(
      'StatusNotification',
      (c) =>
        c.identity === 'FLT-002' && (c.payload as { connectorStatus: string }).connectorStatus === 'Occupied',
      WAIT_MS,
    );
    assert.equal((plugged.payload as { evseId: number }).evseId, 1);
    const unknown = run.events().find((e) => e.type === 'command' && e.line === '@FLT-009 plug 1');
    assert.ok(unknown?.type === 'command' && !unknown.ok);
    assert.match(unknown.message, /no station "FLT-009" in this fleet \(FLT-001 \.\. FLT-003\)/);

    run.stdin.write('quit\n');
    assert.equal(await run.done, 0);
    const events = run.events();
    // Every event of a station names it; only the process's own events (csms, fleet, exit) do not.
    for (const event of events) {
      if (['csms', 'fleet', 'exit', 'input'].includes(event.type)) continue;
      if (event.type === 'command' && event.line.startsWith('@')) continue;
      assert.match(String(event.stationId), /^FLT-00[123]$/, JSON.stringify(event));
    }
    assert.ok(events.some((e) => e.type === 'ocpp' && e.stationId === 'FLT-003'));
    const summary = events.find((e) => e.type === 'fleet');
    assert.ok(summary?.type === 'fleet');
    assert.deepEqual([summary.stations, summary.started, summary.booted, summary.errors], [3, 3, 3, 0]);
    assert.ok(summary.messages >= 9, `at least boot + 2 statuses each, got ${summary.messages}`);
    assert.deepEqual(events.at(-1)?.type, 'exit');
  } finally {
    await csms.close();
  }
});

test('a single station (no --count) also names itself in every --json event', async () => {
  const csms = await startTestCsms();
  try {
    const run = cli(['--json', '--csms', csms.url, '--id', 'SOLO-1', '--db', await tempDb()]);
    await run.until('registration', () => run.events().some((e) => e.type === 'registration'));
    run.stdin.write('quit\n');
    assert.equal(await run.done, 0);
    const own = run.events().filter((e) => !['csms', 'exit', 'input'].includes(e.type));
    assert.ok(own.length > 5);
    for (const event of own) assert.equal(event.stationId, 'SOLO-1', JSON.stringify(event));
  } finally {
    await csms.close();
  }
});

test('on a terminal a fleet shows a progress line, then the summary line', async () => {
  const csms = await startTestCsms();
  try {
    const run = cli(['--csms', csms.url, '--count', '2', '--db', await tempDb()], { tty: true });
    await run.until('a progress line with both stations booted', () =>
      /fleet 2: started 2 {2}connected 2 {2}booted 2 {2}charging 0 {2}tx 0\/0 {2}errors 0 {2}\d+ msg\/s/.test(
        run.out.join(''),
      ),
    );
    run.stdin.write('quit\n');
    assert.equal(await run.done, 0);
    const text = run.out.join('');
    // Rewritten in place (carriage return + erase line), and per-station lines are not printed.
    assert.ok(text.includes('\r\u001b[2Kfleet 2: '), 'the line is rewritten with CR + erase line');
    assert.doesNotMatch(text, /registration Accepted/);
    assert.match(
      text,
      /fleet: 2 stations, 2 started, 2 booted, 2 connected, 0 charging, 0 transactions started, 0 ended, 0 errors, \d+ OCPP messages/,
    );
  } finally {
    await csms.close();
  }
});

test('--count 0 and a pattern without placeholder: exit 2 with the precise message, nothing started', async () => {
  for (const [args, message] of [
    [['--count', '0'], '--count "0": expected a whole number from 1 to 100000'],
    [
      ['--count', '3', '--id', 'CP1'],
      '--id "CP1": with --count 3 the identity is a pattern with exactly one number placeholder',
    ],
  ] as const) {
    const run = cli([...args]);
    assert.equal(await run.done, 2);
    assert.match(
      run.err.join(''),
      new RegExp(`^ocpp-station: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    assert.deepEqual(run.out, []);
  }
});
