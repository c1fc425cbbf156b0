/**
 * The `firmware` chart alone (machines/firmware.ts) with fakes for its effects: the order of the
 * statuses, retries, the decisions that depend on instants (DownloadScheduled, InstallScheduled),
 * cancellation and the outcomes of an installation. The instants are given; nothing reads a clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, waitFor } from 'xstate';
import {
  firmwareMachine,
  type DownloadResult,
  type FirmwareRequest,
  type InstallInput,
  type InstallOutcome,
} from '../../machines/firmware.js';

const T0 = '2026-01-01T00:00:00.000Z';

function request(extra: Partial<FirmwareRequest> = {}): FirmwareRequest {
  return {
    requestId: 1,
    location: 'http://fw/1.bin',
    retrieveDateTime: T0,
    installDateTime: null,
    signingCertificate: null,
    signature: null,
    retries: 0,
    retryIntervalS: 5,
    receivedAt: T0,
    ...extra,
  };
}

interface RunOptions {
  downloads?: DownloadResult[];
  verify?: boolean;
  install?: InstallOutcome;
  holdInstall?: boolean;
  /** A transaction runs until `endTransactions()`. */
  transaction?: boolean;
}

function run(options: RunOptions = {}) {
  const statuses: string[] = [];
  const events: string[] = [];
  const deadlines: Array<string | null> = [];
  const downloads = [...(options.downloads ?? [{ ok: true, file: '/tmp/f', at: T0 }])];
  let installs = 0;
  let running = options.transaction ?? false;
  let held = false;
  const idleWaiters: Array<() => void> = [];
  const endTransactions = () => {
    running = false;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };
  const machine = firmwareMachine.provide({
    actors: {
      deadline: fromPromise(async ({ input }: { input: { until: string | null } }) => {
        deadlines.push(input.until);
        return input.until ?? T0;
      }),
      download: fromPromise(async () => downloads.shift() ?? { ok: false as const, reason: 'none left', at: T0 }),
      verify: fromPromise(async () => options.verify ?? true),
      // Like the station: an Inoperative station is not held again (src/firmware/station-firmware.ts).
      hold: fromPromise(async () => {
        if (held) return false;
        held = true;
        events.push('hold');
        return true;
      }),
      transactionsRunning: fromPromise<boolean, { requestId: number }>(async () => running),
      transactionsIdle: fromPromise<void, { requestId: number }>(() =>
        running ? new Promise<void>((resolve) => idleWaiters.push(resolve)) : Promise.resolve(),
      ),
      install: fromPromise(async () => {
        installs += 1;
        events.push(running ? 'install during transaction' : 'install');
        if (options.holdInstall) return new Promise<InstallOutcome>(() => undefined);
        return options.install ?? 'Installed';
      }),
      reboot: fromPromise<InstallOutcome, { requestId: number }>(async () => {
        events.push(running ? 'reboot during transaction' : 'reboot');
        return 'Installed';
      }),
    },
    actions: {
      sendStatus: (_, p) => statuses.push(`${p.status}#${p.requestId}`),
      securityEvent: (_, p) => events.push(p.type),
      release: () => {
        held = false;
        events.push('release');
      },
      discard: () => undefined,
      reply: ({ event }, p) => (event as { reply?: (s: string) => void }).reply?.(p.status),
    },
  });
  const actor = createActor(machine, { input: {} }).start();
  return { actor, statuses, events, deadlines, installs: () => installs, endTransactions };
}

test('firmware chart L01: signed, retrieve now, install now: Downloading, Downloaded, SignatureVerified, Installing, Installed; FirmwareUpdated; connectors released', async () => {
  const r = run();
  const replies: string[] = [];
  r.actor.send({ type: 'firmware.update', request: request({ signingCertificate: 'PEM', signature: 'SIG' }), reply: (s) => replies.push(s) });
  await waitFor(r.actor, (s) => s.matches('idle'));
  assert.deepEqual(replies, ['Accepted']);
  assert.deepEqual(r.statuses, ['Downloading#1', 'Downloaded#1', 'SignatureVerified#1', 'Installing#1', 'Installed#1']);
  assert.deepEqual(r.events, ['hold', 'install', 'FirmwareUpdated', 'release']);
  assert.equal(r.installs(), 1);
});

test('firmware chart L01.FR.13/16/30: future retrieve and install instants are waited for; failed attempts retried retryInterval after each failure; DownloadFailed after the last', async () => {
  const later = run({
    downloads: [
      { ok: false, reason: 'HTTP 503', at: '2026-01-01T00:10:00.000Z' },
      { ok: true, file: '/tmp/f', at: '2026-01-01T00:10:06.000Z' },
    ],
  });
  later.actor.send({
    type: 'firmware.update',
    request: request({ retrieveDateTime: '2026-01-01T00:10:00.000Z', installDateTime: '2026-01-01T01:00:00.000Z', retries: 1 }),
  });
  await waitFor(later.actor, (s) => s.matches('idle'));
  assert.deepEqual(later.statuses, ['DownloadScheduled#1', 'Downloading#1', 'Downloaded#1', 'InstallScheduled#1', 'Installing#1', 'Installed#1']);
  assert.deepEqual(later.deadlines, ['2026-01-01T00:10:00.000Z', '2026-01-01T00:10:05.000Z', '2026-01-01T01:00:00.000Z']);

  const failing = run({ downloads: [] });
  failing.actor.send({ type: 'firmware.update', request: request({ retries: 2 }) });
  await waitFor(failing.actor, (s) => s.matches('idle'));
  assert.deepEqual(failing.statuses, ['Downloading#1', 'DownloadFailed#1']);
  assert.equal(failing.actor.getSnapshot().context.attempts, 3);
});

test('firmware chart L01.FR.24/27/29: a new request cancels one not yet installing (AcceptedCanceled) but not one installing (Rejected); InstallVerificationFailed is reported; InvalidSignature ends the update', async () => {
  const r = run({ holdInstall: true });
  const replies: string[] = [];
  r.actor.send({ type: 'firmware.update', request: request({ retrieveDateTime: '2026-02-01T00:00:00.000Z' }), reply: (s) => replies.push(s) });
  r.actor.send({ type: 'firmware.update', request: request({ requestId: 2 }), reply: (s) => replies.push(s) });
  await waitFor(r.actor, (s) => s.matches({ busy: 'installing' }));
  r.actor.send({ type: 'firmware.update', request: request({ requestId: 3 }), reply: (s) => replies.push(s) });
  assert.deepEqual(replies, ['Accepted', 'AcceptedCanceled', 'Rejected']);
  assert.deepEqual(r.statuses, ['DownloadScheduled#1', 'Downloading#2', 'Downloaded#2', 'Installing#2']);
  assert.equal(r.actor.getSnapshot().context.request?.requestId, 2);

  const failed = run({ install: 'InstallVerificationFailed' });
  failed.actor.send({ type: 'firmware.update', request: request() });
  await waitFor(failed.actor, (s) => s.matches('idle'));
  assert.deepEqual(failed.statuses.at(-1), 'InstallVerificationFailed#1');
  assert.deepEqual(failed.events, ['hold', 'install', 'release']);

  const bad = run({ verify: false });
  bad.actor.send({ type: 'firmware.update', request: request({ signingCertificate: 'PEM', signature: 'SIG' }) });
  await waitFor(bad.actor, (s) => s.matches('idle'));
  assert.deepEqual(bad.statuses, ['Downloading#1', 'Downloaded#1', 'InvalidSignature#1']);
  assert.deepEqual(bad.events, ['InvalidFirmwareSignature']);
  assert.equal(bad.installs(), 0);
});

test('firmware chart L01.FR.06/07/34 (TC_L_15), duringTransaction download: downloads while a transaction runs, holds the connectors, InstallScheduled until it ends, then installs', async () => {
  const r = run({ transaction: true });
  r.actor.send({ type: 'firmware.update', request: request({ duringTransaction: 'download' }) });
  await waitFor(r.actor, (s) => s.matches({ busy: 'waitingForIdle' }));
  assert.deepEqual(r.statuses, ['Downloading#1', 'Downloaded#1', 'InstallScheduled#1']);
  assert.deepEqual(r.events, ['hold']);
  r.endTransactions();
  await waitFor(r.actor, (s) => s.matches('idle'));
  assert.deepEqual(r.statuses, ['Downloading#1', 'Downloaded#1', 'InstallScheduled#1', 'Installing#1', 'Installed#1']);
  assert.deepEqual(r.events, ['hold', 'install', 'FirmwareUpdated', 'release']);

  // A request from a snapshot taken before `duringTransaction` existed behaves as `download`.
  const old = run({ transaction: true });
  old.actor.send({ type: 'firmware.update', request: request() });
  await waitFor(old.actor, (s) => s.matches({ busy: 'waitingForIdle' }));
});

test('firmware chart L01.FR.13, duringTransaction none: DownloadScheduled while a transaction runs (connectors held), the download starts when it ends; without a transaction it starts at once', async () => {
  const r = run({ transaction: true });
  r.actor.send({ type: 'firmware.update', request: request({ duringTransaction: 'none' }) });
  await waitFor(r.actor, (s) => s.matches({ busy: 'downloadWaiting' }));
  assert.deepEqual(r.statuses, ['DownloadScheduled#1']);
  assert.deepEqual(r.events, ['hold']);
  r.endTransactions();
  await waitFor(r.actor, (s) => s.matches('idle'));
  assert.deepEqual(r.statuses, ['DownloadScheduled#1', 'Downloading#1', 'Downloaded#1', 'Installing#1', 'Installed#1']);
  assert.deepEqual(r.events, ['hold', 'install', 'FirmwareUpdated', 'release']);

  const idle = run();
  idle.actor.send({ type: 'firmware.update', request: request({ duringTransaction: 'none' }) });
  await waitFor(idle.actor, (s) => s.matches('idle'));
  assert.deepEqual(idle.statuses, ['Downloading#1', 'Downloaded#1', 'Installing#1', 'Installed#1']);
});

test('firmware chart TC_L_16, duringTransaction all: Installing while the transaction runs, without holding the connectors; Installed at once when no reboot is needed', async () => {
  const r = run({ transaction: true });
  r.actor.send({ type: 'firmware.update', request: request({ duringTransaction: 'all', signingCertificate: 'PEM', signature: 'SIG' }) });
  await waitFor(r.actor, (s) => s.matches('idle'));
  assert.deepEqual(r.statuses, ['Downloading#1', 'Downloaded#1', 'SignatureVerified#1', 'Installing#1', 'Installed#1']);
  assert.deepEqual(r.events, ['install during transaction', 'FirmwareUpdated']);
});

test('firmware chart L01.FR.33, duringTransaction all: an install that needs a reboot waits (connectors held, cannot be cancelled) until the transactions end, then InstallRebooting', async () => {
  const r = run({ transaction: true, install: 'RebootRequired' });
  const replies: string[] = [];
  r.actor.send({ type: 'firmware.update', request: request({ duringTransaction: 'all' }) });
  await waitFor(r.actor, (s) => s.matches({ busy: 'activationWaiting' }));
  assert.deepEqual(r.statuses, ['Downloading#1', 'Downloaded#1', 'Installing#1']);
  assert.deepEqual(r.events, ['install during transaction', 'hold']);
  // L01.FR.27: installed already, so it cannot be cancelled.
  r.actor.send({ type: 'firmware.update', request: request({ requestId: 2 }), reply: (s) => replies.push(s) });
  assert.deepEqual(replies, ['Rejected']);
  assert.ok(r.actor.getSnapshot().hasTag('installStarted'));
  r.endTransactions();
  await waitFor(r.actor, (s) => s.matches('idle'));
  assert.deepEqual(r.statuses, ['Downloading#1', 'Downloaded#1', 'Installing#1', 'InstallRebooting#1', 'Installed#1']);
  assert.deepEqual(r.events, ['install during transaction', 'hold', 'reboot', 'FirmwareUpdated', 'release']);

  // No transaction: straight to the reboot, nothing held.
  const idle = run({ install: 'RebootRequired' });
  idle.actor.send({ type: 'firmware.update', request: request({ duringTransaction: 'all' }) });
  await waitFor(idle.actor, (s) => s.matches('idle'));
  assert.deepEqual(idle.events, ['install', 'reboot', 'FirmwareUpdated']);
});

test('firmware chart L01.FR.29/03: a failed install (returned or thrown) and an unverifiable signature each end through one failure path', async () => {
  const failing = firmwareMachine.provide({
    actors: {
      download: fromPromise<DownloadResult, { requestId: number; location: string; attempt: number }>(async () => ({
        ok: true,
        file: '/tmp/f',
        at: T0,
      })),
      hold: fromPromise(async () => false),
      transactionsRunning: fromPromise(async () => false),
      install: fromPromise<InstallOutcome, InstallInput>(async () => {
        throw new Error('host crashed');
      }),
      verify: fromPromise<boolean, { requestId: number; file: string; certificate: string; signature: string }>(async () => {
        throw new Error('file gone');
      }),
    },
    actions: {
      sendStatus: (_, p) => statuses.push(p.status),
      securityEvent: (_, p) => statuses.push(`event ${p.type}`),
    },
  });
  const statuses: string[] = [];
  const thrown = createActor(failing, { input: {} }).start();
  thrown.send({ type: 'firmware.update', request: request() });
  await waitFor(thrown, (s) => s.matches('idle'));
  assert.deepEqual(statuses, ['Downloading', 'Downloaded', 'Installing', 'InstallationFailed']);
  statuses.length = 0;
  const unreadable = createActor(failing, { input: {} }).start();
  unreadable.send({ type: 'firmware.update', request: request({ requestId: 2, signingCertificate: 'PEM', signature: 'SIG' }) });
  await waitFor(unreadable, (s) => s.matches('idle'));
  assert.deepEqual(statuses, ['Downloading', 'Downloaded', 'InvalidSignature', 'event InvalidFirmwareSignature']);
});
