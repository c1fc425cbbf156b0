import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { spkiPemToBase64Der } from '../../src/meter-values/index.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ecPem = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ecDer = ec.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const rsaDer = rsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

const valid: [title: string, pem: string, der: string][] = [
  ['an EC P-256 key', ecPem, ecDer],
  ['an RSA key (several base64 lines)', rsaPem, rsaDer],
  ['CRLF line ends and surrounding blank lines', `\r\n${ecPem.replace(/\n/g, '\r\n')}\r\n`, ecDer],
];
for (const [title, pem, der] of valid) {
  test(`SignedMeterValueType.publicKey: base64 DER of ${title}`, () => {
    const result = spkiPemToBase64Der(pem);
    assert.equal(result, der);
    const key = createPublicKey({ key: Buffer.from(result, 'base64'), format: 'der', type: 'spki' });
    assert.equal(key.asymmetricKeyType, pem === rsaPem ? 'rsa' : 'ec');
  });
}

const invalid: [title: string, pem: string][] = [
  ['an empty string', ''],
  ['a bare base64 body', ecDer],
  ['a private key', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()],
  ['a certificate label', ecPem.replace(/PUBLIC KEY/g, 'CERTIFICATE')],
  ['an empty block', '-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n'],
  ['a body that is not base64', '-----BEGIN PUBLIC KEY-----\nnot*base64!\n-----END PUBLIC KEY-----\n'],
  ['two blocks', `${ecPem}${ecPem}`],
];
for (const [title, pem] of invalid) {
  test(`spkiPemToBase64Der rejects ${title} with a RangeError`, () => {
    assert.throws(() => spkiPemToBase64Der(pem), RangeError);
  });
}
