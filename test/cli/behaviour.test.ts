/**
 * `--behaviour` end to end: the CLI in a child process against the strict ocpp-rpc test CSMS, real
 * websockets and a real SQLite file. A fleet under a fast profile produces complete transactions;
 * a script drives an exact sequence; bad profiles and files stop the CLI naming what is wrong.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/cli-app.js';
import type { CliEvent } from '../../src/cli/cli-events.js';
import { startTestCsms, type ReceivedCall } from '../../src/testing/index.js';
import { is, killAll, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';

const processes: CliProcess[] = [];
after(() => killAll(processes));

async function tempDir() {
  return mkdtemp(path.join(tmpdir(), 'ocpp-behaviour-'));
}

interface TxPayload {
  eventType: 'Started' | 'Updated' | 'Ended';
  seqNo: number;
  offline?: boolean;
  triggerReason: string;
  transactionInfo: { transactionId: string; stoppedReason?: string };
  meterValue?: Array<{
    timestamp: string;
    sampledValue: Array<{ value: number; measurand?: string; phase?: string; context?: string }>;
  }>;
}

/**
 * The TransactionEvents the CSMS received, per transaction, in arrival order. A CALL whose answer
 * was lost with the connection (`offline` while it was in flight) is sent again with the same
 * message id (OCPP-J: the CSMS recognises a repeat by it): one event, counted once.
 */
function transactions(calls: readonly ReceivedCall[]) {
  const byId = new Map<string, { identity: string; events: TxPayload[] }>();
  const seen = new Map<string, string>();
  for (const call of calls) {
    if (call.action !== 'TransactionEvent') continue;
    const key = `${call.identity} ${call.messageId}`;
    const text = JSON.stringify(call.payload);
    if (seen.has(key)) {
      assert.equal(text, seen.get(key), `a repeat of ${key} carries the same event`);
      continue;
    }
    seen.set(key, text);
    const payload = call.payload as TxPayload;
    const id = payload.transactionInfo.transactionId;
    const tx = byId.get(id) ?? { identity: call.identity, events: [] };
    tx.events.push(payload);
    byId.set(id, tx);
  }
  return byId;
}

const completeOn = (calls: readonly ReceivedCall[]) =>
  new Set(
    [...transactions(calls).values()]
      .filter((t) => t.events.at(-1)?.eventType === 'Ended')
      .map((t) => t.identity),
  );

function isCommand(stationId: string, line: string) {
  return (e: CliEvent) => e.type === 'command' && e.stationId === stationId && e.line === line && e.ok;
}

test('--count 5 with a fast profile: complete transactions on several stations, contiguous seqNo, energy at the profile power; an offline station keeps charging', async () => {
  const csms = await startTestCsms();
  try {
    const dir = await tempDir();
    const profile =
      'plug=3600/h,auth-first=0.5,auth-delay=100ms..300ms,charge=1500ms..2500ms,power=360kW,stop=ev:1/token:1/unplug:1,leave=100ms..300ms';
    const cli = spawnCli([
      '--json',
      '--csms',
      csms.url,
      '--count',
      '5',
      '--db',
      path.join(dir, 'fleet.db'),
      '--behaviour',
      profile,
      '--seed',
      '7',
      // A meter sample every second in Updated events (the energy check below).
      '--set',
      'SampledDataCtrlr.TxUpdatedInterval=1',
    ]);
    processes.push(cli);
    const announced = await cli.waitFor('the behaviour event', (e) => e.type === 'behaviour');
    assert.deepEqual(
      { ...announced, time: undefined },
      { type: 'behaviour', kind: 'profile', profile, seed: 7, time: undefined },
    );

    // CP00002 loses its network once booted; its EVs keep coming, charging and leaving.
    await cli.waitFor('CP00002 accepted', (e) => is.registration('Accepted')(e) && e.stationId === 'CP00002');
    cli.send('@CP00002 offline');
    await cli.waitFor('CP00002 offline', isCommand('CP00002', 'offline'));
    // A whole visit while offline: plugged in after the network went, and the cable taken.
    const plugged = await cli.waitFor(
      'a plug-in on CP00002 while offline',
      (e) => e.type === 'command' && e.stationId === 'CP00002' && e.ok && /^plug \d$/.test(e.line),
      cli.mark(),
    );
    const evse = plugged.type === 'command' ? plugged.line.split(' ')[1] : '';
    await cli.waitFor(
      'that visit ended offline',
      isCommand('CP00002', `unplug ${evse}`),
      cli.events.indexOf(plugged) + 1,
    );
    cli.send('@CP00002 online');
    await csms.waitForCall(
      'TransactionEvent',
      (c) => c.identity === 'CP00002' && (c.payload as TxPayload).offline === true,
      WAIT_MS,
    );
    // Complete transactions reach the CSMS from at least four of the five stations (CP00002
    // included), ended both by the EV leaving and by the driver's idToken.
    const deadline = Date.now() + 2 * WAIT_MS;
    const reasonsAtCsms = () =>
      new Set(
        [...transactions(csms.calls).values()].map((t) => t.events.at(-1)?.transactionInfo.stoppedReason),
      );
    const enough = () =>
      completeOn(csms.calls).size >= 4 &&
      completeOn(csms.calls).has('CP00002') &&
      reasonsAtCsms().has('Local') &&
      reasonsAtCsms().has('EVDisconnected');
    while (!enough()) {
      if (Date.now() > deadline)
        assert.fail(
          `complete transactions only on ${[...completeOn(csms.calls)].join(', ')}, ended ${[...reasonsAtCsms()].join(', ')}`,
        );
      await csms.waitForCall(
        'TransactionEvent',
        (c) => (c.payload as TxPayload).eventType === 'Ended',
        WAIT_MS,
      );
    }
    cli.send('quit');
    assert.deepEqual(await cli.exited, { code: 0, signal: null });
    assert.deepEqual(csms.validationFailures, []);

    const all = transactions(csms.calls);
    const reasons = new Set<string>();
    for (const [id, tx] of all) {
      // Every transaction's events arrive once each, in order: seqNo 0, 1, 2, ... Started first.
      assert.deepEqual(
        tx.events.map((e) => e.seqNo),
        tx.events.map((_, i) => i),
        `seqNo of ${id} on ${tx.identity}`,
      );
      assert.equal(tx.events[0]?.eventType, 'Started', id);
      const ended = tx.events.at(-1)?.eventType === 'Ended';
      for (const e of tx.events.slice(1, ended ? -1 : undefined)) assert.equal(e.eventType, 'Updated', id);
      if (!ended) continue;
      assert.ok(
        tx.events.length >= 3,
        `Started, Updated..., Ended for ${id}: ${tx.events.map((e) => e.eventType)}`,
      );
      reasons.add(tx.events.at(-1)?.transactionInfo.stoppedReason ?? 'none');

      // The power the meter reports is the profile's.
      const powers = tx.events.flatMap((e) =>
        (e.meterValue ?? []).flatMap((mv) =>
          mv.sampledValue
            .filter((v) => v.measurand === 'Power.Active.Import' && v.phase === undefined)
            .map((v) => v.value),
        ),
      );
      assert.ok(powers.includes(360_000), `${id}: Power.Active.Import ${powers.join(', ')}`);
    }
    // Energy grows at the profile's power: from a `charge` that found charging permitted (the idToken
    // came first) to the EV's `suspend` or `unplug-ev`, the register moved by 360 kW x the time
    // between the two command events (their data is the meter at that moment). 10 %: the event is
    // stamped a few ms after the meter is read, more on busy cores; a wrong power is off by far more.
    let checkedPairs = 0;
    for (const id of ['CP00001', 'CP00002', 'CP00003', 'CP00004', 'CP00005']) {
      const flowing = new Map<string, { at: number; energyWh: number }>();
      for (const e of cli.events) {
        if (e.type !== 'command' || e.stationId !== id || !e.ok) continue;
        const [name, evse = ''] = e.line.split(' ');
        const data = e.data as { energyWh: number; flowing: boolean; powerW: number } | undefined;
        if (name === 'charge' && data?.flowing)
          flowing.set(evse, { at: Date.parse(e.time), energyWh: data.energyWh });
        if ((name === 'suspend' || name === 'unplug-ev') && data && flowing.has(evse)) {
          const from = flowing.get(evse) as { at: number; energyWh: number };
          flowing.delete(evse);
          const expected = (360_000 * (Date.parse(e.time) - from.at)) / 3_600_000;
          const moved = data.energyWh - from.energyWh;
          assert.ok(
            Math.abs(moved - expected) <= 5 + expected * 0.1,
            `${id} EVSE ${evse}: ${moved} Wh moved, ${expected} Wh expected`,
          );
          checkedPairs++;
        }
        if (name !== 'charge' && name !== 'meter') flowing.delete(evse);
      }
    }
    assert.ok(checkedPairs > 0, 'some visits charged from their charge command to the EV stopping');
    // The ends the profile draws: the EV leaving (EVDisconnected) and the driver's idToken (Local).
    assert.ok(reasons.has('Local') && reasons.has('EVDisconnected'), [...reasons].join(', '));

    // The behaviour's steps say so; a line typed on stdin does not.
    const commands = cli.events.filter((e) => e.type === 'command');
    assert.ok(
      commands
        .filter((e) => e.line.startsWith('plug '))
        .every((e) => e.type === 'command' && e.behaviour === true),
    );
    assert.ok(
      commands
        .filter((e) => e.line === 'offline')
        .every((e) => e.type === 'command' && e.behaviour === undefined),
    );

    const summary = cli.events.find((e) => e.type === 'fleet');
    assert.ok(summary?.type === 'fleet');
    const startedAtCsms = [...all.values()].length;
    const endedAtCsms = [...all.values()].filter((t) => t.events.at(-1)?.eventType === 'Ended').length;
    assert.ok(
      summary.transactionsStarted >= startedAtCsms,
      `${summary.transactionsStarted} >= ${startedAtCsms}`,
    );
    assert.ok(
      summary.transactionsEnded >= endedAtCsms && summary.transactionsEnded <= summary.transactionsStarted,
    );
    assert.equal(cli.events.at(-1)?.type, 'exit');
  } finally {
    await csms.close();
  }
});

async function runVisitScript(extra: string[]): Promise<void> {
  const csms = await startTestCsms();
  try {
    const dir = await tempDir();
    const file = path.join(dir, 'visit.txt');
    await writeFile(
      file,
      [
        '# CP00001: one whole visit, stopped with the idToken; every station sets its EVSE 2 meter',
        '0s   @CP00001 plug 1',
        '+0s  @CP00001 auth SCRIPT-TOKEN 1',
        '+0s  @CP00001 charge 1',
        '+2s  @CP00001 auth SCRIPT-TOKEN 1',
        '+1s  @CP00001 unplug 1',
        '+0s  meter 2 1000',
        // Later than CP00001's whole visit, also were CP00002 to start a little before CP00001.
        '+5s  @CP00002 quit',
      ].join('\n'),
    );
    const cli = spawnCli([
      '--json',
      '--csms',
      csms.url,
      '--count',
      '2',
      '--db',
      path.join(dir, 'f.db'),
      '--behaviour',
      file,
      ...extra,
    ]);
    processes.push(cli);
    // The script's own `quit` ends the run.
    assert.deepEqual(await cli.exited, { code: 0, signal: null }, cli.stderr());
    const commands = (id: string) =>
      cli.events
        .filter((e) => e.type === 'command' && e.stationId === id)
        .map((e) => e.type === 'command' && [e.line, e.ok]);
    assert.deepEqual(commands('CP00001'), [
      ['plug 1', true],
      ['auth SCRIPT-TOKEN 1', true],
      ['charge 1', true],
      ['auth SCRIPT-TOKEN 1', true],
      ['unplug 1', true],
      ['meter 2 1000', true],
    ]);
    assert.deepEqual(commands('CP00002'), [
      ['meter 2 1000', true],
      ['quit', true],
    ]);
    const txs = [...transactions(csms.calls).values()];
    assert.equal(txs.length, 1);
    assert.equal(txs[0]?.identity, 'CP00001');
    const events = txs[0]?.events ?? [];
    assert.equal(events[0]?.eventType, 'Started');
    assert.equal(events.at(-1)?.eventType, 'Ended');
    assert.equal(events.at(-1)?.transactionInfo.stoppedReason, 'Local');
    assert.deepEqual(
      events.map((e) => e.seqNo),
      events.map((_, i) => i),
    );
    const announced = cli.events.find((e) => e.type === 'behaviour');
    assert.ok(announced?.type === 'behaviour' && announced.kind === 'script' && announced.commands === 7);
    // Announced once per run, whatever the worker threads.
    assert.equal(cli.events.filter((e) => e.type === 'behaviour').length, 1);
    assert.equal(cli.events.at(-1)?.type, 'exit');
  } finally {
    await csms.close();
  }
}

test('a script file drives an exact sequence per station and quits the process', async () => {
  await runVisitScript([]);
});

test('--workers 2: each worker runs the script for its own stations; one announcement; a worker station quits the run', async () => {
  await runVisitScript(['--workers', '2']);
});

test('a fleet without --json: the behaviour steps are not printed, the refused ones are; the script quits', async () => {
  const csms = await startTestCsms();
  try {
    const dir = await tempDir();
    const file = path.join(dir, 'twice.txt');
    await writeFile(file, '0s @CP00001 plug 1\n+0s @CP00001 plug 1\n+1s quit\n');
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      [
        '--csms',
        csms.url,
        '--count',
        '2',
        '--db',
        path.join(dir, 'h.db'),
        '--behaviour',
        file,
        '--seed',
        '5',
      ],
      {
        stdin: new PassThrough(),
        stdout: { write: (t: string) => out.push(t) },
        stderr: { write: (t: string) => err.push(t) },
        cwd: dir,
      },
    );
    assert.equal(code, 0, err.join(''));
    const stdout = out.join('');
    assert.match(stdout, /behaviour: script .*twice\.txt, 3 commands/);
    assert.doesNotMatch(stdout, /cable plugged in/);
    assert.match(err.join(''), /\[CP00001\] plug: EVSE 1 connector 1: a cable is already plugged in/);
    await csms.waitForCall(
      'StatusNotification',
      (c) =>
        c.identity === 'CP00001' && (c.payload as { connectorStatus: string }).connectorStatus === 'Occupied',
      WAIT_MS,
    );
  } finally {
    await csms.close();
  }
});

test('one station (no --count) runs a script too, marked as behaviour, and quits with it', async () => {
  const csms = await startTestCsms();
  try {
    const dir = await tempDir();
    const file = path.join(dir, 'solo.txt');
    await writeFile(file, '0s plug 2\n+500ms meter 2 2500\n+500ms quit\n');
    const out: string[] = [];
    const code = await runCli(
      ['--json', '--csms', csms.url, '--id', 'SOLO-7', '--db', path.join(dir, 's.db'), '--behaviour', file],
      {
        stdin: new PassThrough(),
        stdout: { write: (t: string) => out.push(t) },
        stderr: { write: () => undefined },
        cwd: dir,
      },
    );
    assert.equal(code, 0);
    const events = out
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as CliEvent);
    const commands = events.filter((e) => e.type === 'command');
    assert.deepEqual(
      commands.map((e) => e.type === 'command' && [e.stationId, e.line, e.ok, e.behaviour]),
      [
        ['SOLO-7', 'plug 2', true, true],
        ['SOLO-7', 'meter 2 2500', true, true],
        ['SOLO-7', 'quit', true, true],
      ],
    );
    assert.equal(events.at(-1)?.type, 'exit');
  } finally {
    await csms.close();
  }
});

/** runCli in this process on a command line that must be refused before anything starts. */
async function refused(args: string[]) {
  const err: string[] = [];
  const out: string[] = [];
  const code = await runCli(args, {
    stdin: new PassThrough(),
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    cwd: tmpdir(),
  });
  assert.equal(out.join(''), '', 'no events: nothing started');
  return { code, stderr: err.join('') };
}

test('bad profiles and script files stop the CLI with exit 2 naming the option, the file and the line', async () => {
  const dir = await tempDir();
  const bad = path.join(dir, 'bad.txt');
  await writeFile(bad, '0s plug 1\n\n+5s charge one\n');
  const unknown = path.join(dir, 'unknown.txt');
  await writeFile(unknown, '0s plug 1\n1s @CP00009 plug 1\n');
  const db = path.join(dir, 'never.db');
  const cases: Array<[string[], RegExp]> = [
    [
      ['--behaviour', 'plug=6/h,stop=teleport'],
      /^ocpp-station: --behaviour stop="teleport": expected ev, token, unplug/,
    ],
    [['--behaviour', 'plug=6/h', '--seed', 'abc'], /^ocpp-station: --seed "abc": expected a whole number/],
    [['--behaviour', path.join(dir, 'none.txt')], /^ocpp-station: --behaviour .*none\.txt: no such file/],
    [
      ['--behaviour', bad],
      new RegExp(
        `^ocpp-station: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: charge: <evse> must be a positive integer, got 'one'`,
      ),
    ],
    [
      ['--count', '2', '--behaviour', unknown],
      /unknown\.txt:2: no station "CP00009" in this run \(CP00001 \.\. CP00002\)/,
    ],
  ];
  for (const [args, message] of cases) {
    const { code, stderr } = await refused([...args, '--db', db, '--csms', 'ws://127.0.0.1:9/ocpp']);
    assert.equal(code, 2, args.join(' '));
    assert.match(stderr, message);
  }
});
