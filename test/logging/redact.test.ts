import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact, redactFrame, redactText, redactUrlPasswords } from '../../src/logging/redact.js';

test('redact: passwords of SetVariables, network profiles and URLs, and PEM private keys never reach a log', () => {
  const frame = JSON.stringify([
    2,
    '1',
    'SetVariables',
    {
      setVariableData: [
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: 'S3cretS3cretS3cret' },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '300' },
      ],
    },
  ]);
  const out = JSON.stringify(redactFrame(frame));
  assert.ok(!out.includes('S3cretS3cretS3cret'));
  assert.ok(out.includes('"300"'), 'other values stay');
  const profile = redact({ connectionData: { apn: { apn: 'x', apnPassword: 'apnsecret' }, vpn: { key: 'vpnkey', password: 'vpnpw' } } });
  assert.ok(!JSON.stringify(profile).match(/apnsecret|vpnkey|vpnpw/));
  const pem = '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----';
  assert.equal(redactText(`key: ${pem} end`), 'key: *** end');
  assert.equal(redactText('see https://user:pw@files.example/a'), 'see https://user:***@files.example/a');
  assert.equal(redactFrame('not json https://u:p@h/'), 'not json https://u:***@h/');
});

test('redactUrlPasswords: only the password of URLs, in every string of a value', () => {
  assert.deepEqual(redactUrlPasswords({ a: ['ftp://u:pw@h/x', 'no url'], password: 'kept', n: 1 }), {
    a: ['ftp://u:***@h/x', 'no url'],
    password: 'kept',
    n: 1,
  });
});
