/**
 * The CLI's certificate options end to end (docs/cli.md, contract): the CLI as a child process
 * against the strict test CSMS over TLS with certificates the test makes. `--install-cert` gives the
 * trust anchor of wss:// and is kept (GetInstalledCertificateIds reports it, a restart without the
 * option still connects); `--client-cert`/`--client-key` with `--security-profile 3` connect over
 * mutual TLS, and A02 (TriggerMessage → SignCertificate → CertificateSigned) makes the station
 * reconnect with the new certificate. Every bad input stops the CLI with exit code 2.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import type {
  CertificateSignedResponse,
  GetInstalledCertificateIdsResponse,
  SignCertificateRequest,
  TriggerMessageResponse,
} from '../../src/generated/ocpp-types.js';
import { startTestCsms, type TestCsms, type TestCsmsOptions } from '../../src/testing/index.js';
import type { RpcServerClient } from '../../src/testing/test-csms.js';
import { testPki } from '../helpers/pki.js';
import type { CliEvent } from '../../src/cli/cli-events.js';
import { is, killAll, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';

type ErrorEvent = Extract<CliEvent, { type: 'error' }>;
type ConnectionEvent = Extract<CliEvent, { type: 'connection' }>;

const processes: CliProcess[] = [];
const servers: TestCsms[] = [];
after(async () => {
  await killAll(processes);
  await Promise.all(servers.map((s) => s.close()));
});

async function csms(options: TestCsmsOptions): Promise<TestCsms> {
  const server = await startTestCsms(options);
  servers.push(server);
  return server;
}

function cli(args: string[]): CliProcess {
  const p = spawnCli(['--json', ...args]);
  processes.push(p);
  return p;
}

/** The PKI of the tests as files in a new directory. */
async function pkiFiles() {
  const pki = testPki();
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-cli-certs-'));
  const file = async (name: string, text: string) => {
    const full = path.join(dir, name);
    await writeFile(full, text);
    return full;
  };
  return {
    pki,
    dir,
    db: path.join(dir, 'station.db'),
    ca: await file('csms-root.pem', pki.ca.cert),
    otherCa: await file('other-root.pem', pki.otherCa.cert),
    clientCert: await file('client.pem', pki.client.cert),
    clientKey: await file('client.key', pki.client.key),
    serverCert: await file('server.pem', pki.server.cert),
    file,
  };
}

/** The serial number of the client certificate a connected station presented. */
function presentedSerial(client: RpcServerClient): string {
  const socket = (client as unknown as { handshake: { request: { socket: TLSSocket } } }).handshake.request
    .socket;
  return socket.getPeerCertificate().serialNumber.toUpperCase();
}

const serialOf = (pem: string) => new X509Certificate(pem).serialNumber.toUpperCase();
/** OCPP serialNumber: lower-case hex without leading zeroes (docs/security.md). */
const ocppSerial = (pem: string) =>
  serialOf(pem)
    .toLowerCase()
    .replace(/^0+(?=.)/, '');

test('--install-cert CSMSRootCertificate (M05, A00.FR.308): the trust anchor of wss://, reported by GetInstalledCertificateIds (M03) and kept across restarts', async () => {
  const f = await pkiFiles();
  const server = await csms({ tls: { cert: f.pki.server.cert, key: f.pki.server.key } });
  const id = 'CLI-CERT-1';

  // Without the root the CSMS certificate cannot be verified: the option is what makes it work.
  const untrusted = cli(['--csms', server.url, '--id', id, '--db', f.db]);
  await untrusted.waitFor(
    'a TLS server certificate error',
    (e) => e.type === 'error' && e.code === 'ERR_CONNECT_TLS_SERVER_CERTIFICATE',
  );
  untrusted.send('quit');
  assert.equal((await untrusted.exited).code, 0);

  const station = cli([
    '--csms',
    server.url,
    '--id',
    id,
    '--db',
    f.db,
    '--install-cert',
    `CSMSRootCertificate=${f.ca}`,
    '--install-cert',
    `ManufacturerRootCertificate=${f.otherCa}`,
  ]);
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  const link = (await station.waitFor('connected', is.connection(true))) as ConnectionEvent;
  assert.equal(link.slot, 1);
  const ids = (await server.call(id, 'GetInstalledCertificateIds', {
    certificateType: ['CSMSRootCertificate'],
  })) as GetInstalledCertificateIdsResponse;
  assert.equal(ids.status, 'Accepted');
  assert.deepEqual(
    ids.certificateHashDataChain?.map((c) => [c.certificateType, c.certificateHashData.serialNumber]),
    [['CSMSRootCertificate', ocppSerial(f.pki.ca.cert)]],
  );
  const all = (await server.call(id, 'GetInstalledCertificateIds', {})) as GetInstalledCertificateIdsResponse;
  assert.deepEqual(all.certificateHashDataChain?.map((c) => c.certificateType).sort(), [
    'CSMSRootCertificate',
    'ManufacturerRootCertificate',
  ]);
  station.send('quit');
  assert.equal((await station.exited).code, 0);

  // Persisted: the next start without --install-cert trusts the CSMS all the same.
  const again = cli(['--csms', server.url, '--id', id, '--db', f.db]);
  await again.waitFor('registration Accepted after the restart', is.registration('Accepted'));
  again.send('quit');
  assert.equal((await again.exited).code, 0);
  assert.deepEqual(server.validationFailures, []);
});

test('--security-profile 3 with --client-cert/--client-key (A00.FR.407): mutual TLS; A02 (TC_A_11_CS) TriggerMessage → SignCertificate → CertificateSigned, and the next TLS connection presents the new certificate (A02.FR.08)', async () => {
  const f = await pkiFiles();
  const id = 'CS001'; // the CN of the test PKI's client certificate
  const server = await csms({
    tls: {
      cert: f.pki.server.cert,
      key: f.pki.server.key,
      ca: f.pki.ca.cert,
      requireClientCertificate: true,
    },
  });
  const station = cli([
    '--csms',
    server.url,
    '--id',
    id,
    '--db',
    f.db,
    '--security-profile',
    '3',
    '--install-cert',
    `CSMSRootCertificate=${f.ca}`,
    '--client-cert',
    f.clientCert,
    '--client-key',
    f.clientKey,
    '--set',
    'SecurityCtrlr.OrganizationName=Test CSO',
  ]);
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  assert.equal(presentedSerial(await server.waitForClient(id, WAIT_MS)), serialOf(f.pki.client.cert));

  const trigger = (await server.call(id, 'TriggerMessage', {
    requestedMessage: 'SignChargingStationCertificate',
  })) as TriggerMessageResponse;
  assert.equal(trigger.status, 'Accepted');
  // RSA key generation on a busy machine takes seconds.
  const sign = await server.waitForCall('SignCertificate', undefined, WAIT_MS);
  const { csr } = sign.payload as SignCertificateRequest;
  // Valid for longer than the 30-day renewal margin (A03): no renewal CSR follows.
  const signed = f.pki.ca.signCsr(csr, { validDays: 365 });
  const since = station.mark();
  const answer = (await server.call(id, 'CertificateSigned', {
    certificateChain: signed,
    certificateType: 'ChargingStationCertificate',
  })) as CertificateSignedResponse;
  assert.equal(answer.status, 'Accepted');
  await station.waitFor('disconnected to change certificates', is.connection(false), since);
  await station.waitFor('reconnected with the new certificate', is.connection(true), since);
  const client = await server.waitForClient(id, WAIT_MS);
  assert.equal(presentedSerial(client), serialOf(signed));
  assert.notEqual(serialOf(signed), serialOf(f.pki.client.cert));
  station.send('quit');
  assert.equal((await station.exited).code, 0);

  // The stored certificate takes precedence over --client-cert at the next start.
  const again = cli([
    '--csms',
    server.url,
    '--id',
    id,
    '--db',
    f.db,
    '--security-profile',
    '3',
    '--client-cert',
    f.clientCert,
    '--client-key',
    f.clientKey,
  ]);
  await again.waitFor('connected after the restart', is.connection(true));
  assert.equal(presentedSerial(await server.waitForClient(id, WAIT_MS)), serialOf(signed));
  again.send('quit');
  assert.equal((await again.exited).code, 0);
  assert.deepEqual(server.validationFailures, []);
});

test('bad certificate options stop the CLI with exit code 2 and a message naming the option and the file', async () => {
  const f = await pkiFiles();
  const wss = 'wss://127.0.0.1:9/ocpp';
  const notPem = await f.file('not-a-cert.pem', 'hello\n');
  const encrypted = await f.file(
    'encrypted.key',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n',
  );
  const otherKey = await f.file('other.key', f.pki.server.key);
  const missing = path.join(f.dir, 'missing.pem');
  const cases: Array<[string[], RegExp]> = [
    [
      ['--install-cert', `CSMSRootCertificate=${missing}`],
      /--install-cert CSMSRootCertificate=.*missing\.pem: cannot read the file \(no such file\)/,
    ],
    [
      ['--install-cert', `CSMSRootCertificate=${notPem}`],
      /--install-cert CSMSRootCertificate=.*not-a-cert\.pem: no PEM certificate found/,
    ],
    [
      ['--install-cert', `CSMSRootCertificate=${f.clientCert}`],
      /--install-cert CSMSRootCertificate=.*client\.pem: not a CA certificate/,
    ],
    [
      ['--install-cert', `BogusRootCertificate=${f.ca}`],
      /--install-cert BogusRootCertificate=.*unknown certificateType "BogusRootCertificate"/,
    ],
    [['--install-cert', f.ca], /--install-cert .*csms-root\.pem: expected <certificateType>=<PEM file>/],
    [
      ['--csms', wss, '--client-cert', f.clientKey, '--client-key', f.clientKey],
      /--client-cert .*client\.key: no PEM certificate found/,
    ],
    [
      ['--csms', wss, '--client-cert', f.clientCert, '--client-key', f.clientCert],
      /--client-key .*client\.pem: not a PEM private key/,
    ],
    [
      ['--csms', wss, '--client-cert', f.clientCert, '--client-key', encrypted],
      /--client-key .*encrypted\.key: the key is encrypted/,
    ],
    [
      ['--csms', wss, '--client-cert', f.clientCert, '--client-key', otherKey],
      /--client-key .*other\.key: does not match the certificate of --client-cert .*client\.pem/,
    ],
    [['--csms', wss, '--client-cert', f.clientCert], /--client-cert .*client\.pem: needs --client-key/],
    [
      ['--csms', wss, '--client-cert', f.clientCert, '--client-key', missing],
      /--client-key .*missing\.pem: cannot read the file \(no such file\)/,
    ],
    [
      ['--csms', wss, '--security-profile', '3'],
      /--security-profile 3: security profile 3 needs a client certificate/,
    ],
    [
      ['--csms', 'ws://127.0.0.1:9/ocpp', '--security-profile', '2'],
      /--security-profile 2: .*needs a wss:\/\/ --csms URL, not --csms ws:\/\//,
    ],
    [
      ['--security-profile', '3', '--client-cert', f.clientCert, '--client-key', f.clientKey],
      /--security-profile 3: .*needs a wss:\/\/ --csms URL, not the embedded CSMS/,
    ],
    [
      ['--csms', wss, '--security-profile', '1'],
      /--security-profile 1: security profile 1 is unsecured ws:\/\//,
    ],
    [['--csms', wss, '--security-profile', '4'], /--security-profile "4": expected 1, 2 or 3/],
  ];
  // A few at a time: each child pays tsx's start-up on a shared 2-core machine.
  const runs: CliProcess[] = [];
  const results: Array<{ code: number | null }> = [];
  for (let i = 0; i < cases.length; i += 4) {
    const batch = cases.slice(i, i + 4).map(([args]) => {
      const p = spawnCli(['--db', f.db, ...args]);
      processes.push(p);
      return p;
    });
    runs.push(...batch);
    results.push(...(await Promise.all(batch.map((p) => p.exited))));
  }
  cases.forEach(([args, pattern], i) => {
    const stderr = (runs[i] as CliProcess).stderr();
    assert.equal(results[i]?.code, 2, `${args.join(' ')} → exit 2\n${stderr}`);
    assert.match(stderr, pattern, args.join(' '));
    assert.doesNotMatch(stderr, /MII[A-Za-z0-9+/]/, 'no certificate or key text in the message');
  });
});

test('--install-cert of a root InstallCertificate would refuse at start (M05.FR.07: not valid at the station clock): a fatal ERR_CERTIFICATE_INSTALL naming the file, exit 1', async () => {
  const f = await pkiFiles();
  // The test CA is valid for a few years from now; at --clock 2099 it has expired.
  const p = cli([
    '--db',
    f.db,
    '--clock',
    '2099-01-01T00:00:00Z',
    '--install-cert',
    `MORootCertificate=${f.ca}`,
  ]);
  const error = (await p.waitFor(
    'a fatal certificate install error',
    (e) => e.type === 'error' && e.code === 'ERR_CERTIFICATE_INSTALL',
  )) as ErrorEvent;
  assert.equal(error.fatal, true);
  assert.match(
    String(error.message),
    /^MORootCertificate from .*csms-root\.pem cannot be installed: InstallCertificate would answer Rejected \(not valid now\)$/,
  );
  assert.equal((await p.exited).code, 1);
});
