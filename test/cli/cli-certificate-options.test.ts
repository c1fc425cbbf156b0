/**
 * Parsing of `--install-cert`, `--client-cert`/`--client-key` and `--security-profile`
 * (src/cli/cli-certificate-options.ts) with files the test writes; the CLI process tests are in
 * test/cli/certificates.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chargePointCertificateOptions } from '../../src/cli/cli-certificate-options.js';
import { CliUsageError, parseCliOptions, USAGE } from '../../src/cli/cli-options.js';
import { testPki } from '../helpers/pki.js';

const pki = testPki();
const DIR = mkdtempSync(path.join(tmpdir(), 'ocpp-cli-cert-options-'));
const write = (name: string, text: string) => {
  writeFileSync(path.join(DIR, name), text);
  return name; // relative: resolved against the base directory
};
const CA = write('ca.pem', pki.ca.cert);
const CLIENT = write('client.pem', pki.client.cert + pki.ca.cert);
const KEY = write('client.key', pki.client.key);
const WSS = 'wss://csms.example.com/ocpp';

function run(argv: string[]) {
  const parsed = parseCliOptions(argv, DIR);
  return parsed.kind === 'run' ? parsed.options : assert.fail('not a run');
}

function refused(argv: string[], pattern: RegExp) {
  assert.throws(
    () => parseCliOptions(argv, DIR),
    (e: unknown) => e instanceof CliUsageError && e.code === 'ERR_CLI_USAGE' && pattern.test(e.message),
    argv.join(' '),
  );
}

test('without certificate options nothing is added to the parsed options', () => {
  const options = run(['--csms', WSS]);
  assert.equal('installCertificates' in options, false);
  assert.equal('clientCertificate' in options, false);
  assert.equal('securityProfile' in options, false);
  assert.deepEqual(chargePointCertificateOptions(options), {});
});

test('--install-cert (repeatable), --client-cert with its chain, --client-key and --security-profile 3', () => {
  const options = run([
    '--csms',
    WSS,
    '--install-cert',
    `CSMSRootCertificate=${CA}`,
    `--install-cert=V2GRootCertificate=${CA}`,
    '--client-cert',
    CLIENT,
    '--client-key',
    KEY,
    '--security-profile',
    '3',
  ]);
  assert.deepEqual(
    options.installCertificates?.map((c) => [c.type, c.file]),
    [
      ['CSMSRootCertificate', path.join(DIR, CA)],
      ['V2GRootCertificate', path.join(DIR, CA)],
    ],
  );
  assert.equal(options.clientCertificate?.certFile, path.join(DIR, CLIENT));
  assert.equal(options.securityProfile, 3);
  const cp = chargePointCertificateOptions(options);
  assert.equal(cp.csmsSecurityProfile, 3);
  assert.deepEqual(cp.tls, { cert: pki.client.cert + pki.ca.cert, key: pki.client.key });
  assert.deepEqual(
    cp.certificates?.install?.map((r) => [r.type, r.source]),
    [
      ['CSMSRootCertificate', path.join(DIR, CA)],
      ['V2GRootCertificate', path.join(DIR, CA)],
    ],
  );
});

test('--client-key: a PKCS#1 RSA key is read as well as PKCS#8', () => {
  const pkcs1 = createPrivateKey(pki.client.key).export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = write('client-pkcs1.key', pkcs1);
  const options = run(['--csms', WSS, '--client-cert', CLIENT, '--client-key', key]);
  assert.equal(options.clientCertificate?.key, pkcs1);
  // Without --security-profile the URL decides (2 for wss://); the certificate waits for profile 3.
  assert.equal(options.securityProfile, undefined);
});

test('--security-profile fits the --csms scheme: 1 with ws://, 2 with wss://', () => {
  assert.equal(run(['--csms', 'ws://127.0.0.1:9000/ocpp', '--security-profile', '1']).securityProfile, 1);
  assert.equal(run(['--csms', WSS, '--security-profile', '2']).securityProfile, 2);
  refused(['--csms', WSS, '--security-profile', '1'], /^--security-profile 1: .* is wss:\/\/$/);
  refused(['--security-profile', '2'], /needs a wss:\/\/ --csms URL, not the embedded CSMS \(ws:\/\/\)/);
  refused(['--csms', WSS, '--security-profile', 'three'], /^--security-profile "three": expected 1, 2 or 3$/);
  refused(
    ['--csms', WSS, '--security-profile', '3'],
    /^--security-profile 3: .*--client-cert <PEM file> and --client-key <PEM file>$/,
  );
});

test('bad files are refused naming the option and the file, never their content', () => {
  const leafAndRoot = write('two.pem', pki.ca.cert + pki.otherCa.cert);
  refused(
    ['--install-cert', `CSMSRootCertificate=${leafAndRoot}`],
    /^--install-cert CSMSRootCertificate=two\.pem: expected one certificate, the file has 2$/,
  );
  refused(
    ['--install-cert', 'CSMSRootCertificate='],
    /^--install-cert CSMSRootCertificate=: the file name is empty$/,
  );
  refused(['--install-cert', `MORootCertificate=${DIR}`], /cannot read the file \(is a directory\)/);
  refused(['--client-key', KEY], /^--client-key client\.key: needs --client-cert <PEM file>/);
  const garbage = write('garbage.key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
  refused(
    ['--csms', WSS, '--client-cert', CLIENT, '--client-key', garbage],
    /^--client-key garbage\.key: the private key cannot be read \(/,
  );
});

test('--help lists the certificate options', () => {
  for (const option of [
    '--install-cert <type>=<PEM file>',
    '--client-cert <PEM file>',
    '--client-key <PEM file>',
    '--security-profile <1|2|3>',
  ])
    assert.ok(USAGE.includes(option), option);
});
