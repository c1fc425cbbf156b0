import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { MeterValueType, SignedMeterValueType } from '../../src/generated/ocpp-types.js';
import {
  ENCODING_METHOD,
  SIGNING_METHOD,
  includePublicKey,
  signedMeterValue,
  signedPayload,
  type SignableReading,
} from '../../src/meter-values/index.js';
import { assertReportable } from './schema.js';

const meterKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const publicKeyPem = meterKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const signer = (data: Buffer) => sign('sha256', data, meterKey.privateKey);
const T = '2025-01-01T10:00:00Z';

/** Test-only verifier (the module stays pure): decodes SIM-JSON-1 and checks the signature. */
function verifySignedMeterValue(signed: SignedMeterValueType, publicKey = meterKey.publicKey) {
  const text = Buffer.from(signed.signedMeterData, 'base64').toString('utf8');
  const header = text.slice(0, text.indexOf('|'));
  const payload = text.slice(text.indexOf('|') + 1, text.lastIndexOf('|'));
  const signature = Buffer.from(text.slice(text.lastIndexOf('|') + 1), 'base64');
  const valid = verify('sha256', Buffer.from(payload, 'utf8'), publicKey, signature);
  return { header, payload, reading: JSON.parse(payload) as Record<string, unknown>, valid };
}

const payloads: [title: string, reading: SignableReading, json: string][] = [
  [
    'defaults written out, time as UTC with milliseconds',
    { timestamp: '2025-01-01T11:00:00+01:00', value: 1520.5 },
    '{"timestamp":"2025-01-01T10:00:00.000Z","measurand":"Energy.Active.Import.Register","value":1520.5,"unit":"Wh"}',
  ],
  [
    'fixed key order whatever the input order',
    {
      context: 'Transaction.End',
      location: 'Outlet',
      phase: 'L1',
      multiplier: 3,
      unit: 'kWh',
      value: 1.5205,
      measurand: 'Energy.Active.Import.Register',
      timestamp: T,
    },
    '{"timestamp":"2025-01-01T10:00:00.000Z","measurand":"Energy.Active.Import.Register","value":1.5205,"unit":"kWh","multiplier":3,"phase":"L1","location":"Outlet","context":"Transaction.End"}',
  ],
  [
    'no unit default for a non-energy measurand',
    { timestamp: T, value: 55, measurand: 'SoC' },
    '{"timestamp":"2025-01-01T10:00:00.000Z","measurand":"SoC","value":55}',
  ],
];
for (const [title, reading, json] of payloads) {
  test(`signed payload (deterministic JSON): ${title}`, () => {
    assert.equal(signedPayload(reading), json);
    assert.equal(signedPayload(structuredClone(reading)), json, 'same reading, same bytes');
  });
}

const variants: [title: string, includeKey: boolean][] = [
  ['without the public key: publicKey is the empty string (Part 2 §2.7.17)', false],
  ['with the public key: base64 DER of the PEM', true],
];
for (const [title, includeKey] of variants) {
  test(`J02.FR.21 signed meter value ${title}, verifiable and schema-valid`, () => {
    const reading: SignableReading = { timestamp: T, value: 1520.5, context: 'Transaction.Begin' };
    const signed = signedMeterValue({
      meterValue: reading,
      sign: signer,
      includePublicKey: includeKey,
      publicKeyPem,
    });
    assert.equal(signed.signingMethod, 'ECDSA-secp256r1-SHA256');
    assert.equal(signed.signingMethod, SIGNING_METHOD);
    assert.equal(signed.encodingMethod, ENCODING_METHOD);
    const decoded = verifySignedMeterValue(signed);
    assert.equal(decoded.header, 'SIM-JSON-1');
    assert.equal(decoded.payload, signedPayload(reading));
    assert.equal(decoded.valid, true);
    assert.deepEqual(decoded.reading, {
      timestamp: '2025-01-01T10:00:00.000Z',
      measurand: 'Energy.Active.Import.Register',
      value: 1520.5,
      unit: 'Wh',
      context: 'Transaction.Begin',
    });
    if (includeKey) {
      const key = createPublicKey({
        key: Buffer.from(signed.publicKey, 'base64'),
        format: 'der',
        type: 'spki',
      });
      assert.equal(verifySignedMeterValue(signed, key).valid, true, 'the sent key verifies the data');
    } else {
      assert.equal(signed.publicKey, '');
    }
    const meterValue: MeterValueType = {
      timestamp: T,
      sampledValue: [{ value: 1520.5, context: 'Transaction.Begin', signedMeterValue: signed }],
    };
    assertReportable(meterValue);
  });
}

test('J02.FR.21: a tampered payload no longer verifies (the test verifier can fail)', () => {
  const signed = signedMeterValue({
    meterValue: { timestamp: T, value: 1520.5 },
    sign: signer,
    includePublicKey: false,
  });
  const text = Buffer.from(signed.signedMeterData, 'base64').toString('utf8').replace('1520.5', '1620.5');
  const tampered = { ...signed, signedMeterData: Buffer.from(text, 'utf8').toString('base64') };
  assert.equal(verifySignedMeterValue(tampered).valid, false);
  const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
  assert.equal(verifySignedMeterValue(signed, otherKey).valid, false);
});

test('the signer receives exactly the payload bytes, and nothing is signed twice', () => {
  const seen: string[] = [];
  signedMeterValue({
    meterValue: { timestamp: T, value: 7, measurand: 'Power.Active.Import', unit: 'W' },
    sign: (data) => {
      seen.push(data.toString('utf8'));
      return Buffer.from([1, 2, 3]);
    },
    includePublicKey: false,
  });
  assert.deepEqual(seen, [
    '{"timestamp":"2025-01-01T10:00:00.000Z","measurand":"Power.Active.Import","value":7,"unit":"W"}',
  ]);
});

test('PublicKeyWithSignedMeterValue OncePerTransaction: key on the first signed value only', () => {
  let sent = false;
  const keys: string[] = [];
  for (const value of [100, 200, 300]) {
    const withKey = includePublicKey('OncePerTransaction', sent);
    const signed = signedMeterValue({
      meterValue: { timestamp: T, value },
      sign: signer,
      includePublicKey: withKey,
      publicKeyPem,
    });
    sent ||= withKey;
    keys.push(signed.publicKey === '' ? 'none' : 'key');
  }
  assert.deepEqual(keys, ['key', 'none', 'none']);
});

const invalid: [title: string, call: () => unknown, message: RegExp][] = [
  [
    'includePublicKey without a PEM',
    () => signedMeterValue({ meterValue: { timestamp: T, value: 1 }, sign: signer, includePublicKey: true }),
    /^publicKeyPem:/,
  ],
  [
    'a private key PEM as public key',
    () =>
      signedMeterValue({
        meterValue: { timestamp: T, value: 1 },
        sign: signer,
        includePublicKey: true,
        publicKeyPem: meterKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      }),
    /^publicKeyPem:/,
  ],
  [
    'an empty signature',
    () =>
      signedMeterValue({
        meterValue: { timestamp: T, value: 1 },
        sign: () => Buffer.alloc(0),
        includePublicKey: false,
      }),
    /^sign:/,
  ],
  [
    'signed data over 2500 characters',
    () =>
      signedMeterValue({
        meterValue: { timestamp: T, value: 1 },
        sign: () => Buffer.alloc(2000, 1),
        includePublicKey: false,
      }),
    /^signedMeterData: \d+ characters/,
  ],
  [
    'a signingMethod over 50 characters',
    () =>
      signedMeterValue({
        meterValue: { timestamp: T, value: 1 },
        sign: signer,
        includePublicKey: false,
        signingMethod: 'x'.repeat(51),
      }),
    /^signingMethod:/,
  ],
  [
    'a timestamp that is not RFC 3339',
    () => signedPayload({ timestamp: 'now', value: 1 }),
    /^meterValue\.timestamp:/,
  ],
  ['a non-finite value', () => signedPayload({ timestamp: T, value: Number.NaN }), /^meterValue\.value:/],
  [
    'a fractional multiplier',
    () => signedPayload({ timestamp: T, value: 1, multiplier: 0.5 }),
    /^meterValue\.multiplier:/,
  ],
];
for (const [title, call, message] of invalid) {
  test(`signedMeterValue rejects ${title} with a RangeError`, () => {
    assert.throws(call, (error: unknown) => error instanceof RangeError && message.test(error.message));
  });
}

test('a custom signingMethod (e.g. an RSA meter) is passed through, schema limits respected', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signed = signedMeterValue({
    meterValue: { timestamp: T, value: 1 },
    sign: (data) => sign('sha256', data, rsa.privateKey),
    includePublicKey: true,
    publicKeyPem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signingMethod: 'RSASSA-PKCS1-v1_5-SHA256',
  });
  assert.equal(signed.signingMethod, 'RSASSA-PKCS1-v1_5-SHA256');
  assert.equal(verifySignedMeterValue(signed, rsa.publicKey).valid, true);
  assertReportable({ timestamp: T, sampledValue: [{ value: 1, signedMeterValue: signed }] });
});
