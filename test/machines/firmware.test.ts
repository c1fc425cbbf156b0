/**
 * The `firmware` chart alone (machines/firmware.ts) with fakes for its effects: the order of the
 * statuses, retries, the decisions that depend on instants (DownloadScheduled, InstallScheduled),
 * cancellation and the outcomes of an installation. The instants are given; nothing reads a clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, fromPromise, waitFor } from 'xstate';
import { firmwareMachine, type DownloadResult, type FirmwareRequest, type InstallOutcome } from '../../machines/firmware.js';

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

function run(options: { downloads?: DownloadResult[]; verify?: boolean; install?: InstallOutcome; holdInstall?: boolean } = {}) {
  const statuses: string[] = [];
  const events: string[] = [];
  const deadlines: Array<string | null> = [];
  const downloads = [...(options.downloads ?? [{ ok: true, file: '/tmp/f', at: T0 }])];
  let installs = 0;
  const machine = firmwareMachine.provide({
    actors: {
      deadline: fromPromise(async ({ input }: { input: { until: string | null } }) => {
        deadlines.push(input.until);
        return input.until ?? T0;
      }),
      download: fromPromise(async () => downloads.shift() ?? { ok: false as const, reason: 'none left', at: T0 }),
      verify: fromPromise(async () => options.verify ?? true),
      hold: fromPromise(async () => true),
      transactionsIdle: fromPromise<void, { requestId: number }>(async () => undefined),
      install: fromPromise(async () => {
        installs += 1;
        if (options.holdInstall) return new Promise<InstallOutcome>(() => undefined);
        return options.install ?? 'Installed';
      }),
      reboot: fromPromise<InstallOutcome, { requestId: number }>(async () => 'Installed'),
    },
    actions: {
      sendStatus: (_, p) => statuses.push(`${p.status}#${p.requestId}`),
      securityEvent: (_, p) => events.push(p.type),
      release: () => events.push('release'),
      discard: () => undefined,
      reply: ({ event }, p) => (event as { reply?: (s: string) => void }).reply?.(p.status),
    },
  });
  const actor = createActor(machine, { input: {} }).start();
  return { actor, statuses, events, deadlines, installs: () => installs };
}

test('firmware chart L01: signed, retrieve now, install now: Downloading, Downloaded, SignatureVerified, Installing, Installed; FirmwareUpdated; connectors released', async () => {
  const r = run();
  const replies: string[] = [];
  r.actor.send({ type: 'firmware.update', request: request({ signingCertificate: 'PEM', signature: 'SIG' }), reply: (s) => replies.push(s) });
  await waitFor(r.actor, (s) => s.matches('idle'));
  assert.deepEqual(replies, ['Accepted']);
  assert.deepEqual(r.statuses, ['Downloading#1', 'Downloaded#1', 'SignatureVerified#1', 'Installing#1', 'Installed#1']);
  assert.deepEqual(r.events, ['FirmwareUpdated', 'release']);
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
  assert.deepEqual(failed.events, ['release']);

  const bad = run({ verify: false });
  bad.actor.send({ type: 'firmware.update', request: request({ signingCertificate: 'PEM', signature: 'SIG' }) });
  await waitFor(bad.actor, (s) => s.matches('idle'));
  assert.deepEqual(bad.statuses, ['Downloading#1', 'Downloaded#1', 'InvalidSignature#1']);
  assert.deepEqual(bad.events, ['InvalidFirmwareSignature']);
  assert.equal(bad.installs(), 0);
});
