import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameLogJson, redact, redactFrame, redactText, redactUrlPasswords } from '../../src/logging/redact.js';

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

test('redactFrame: frames without a secret come back as parsed, the same as the full redaction gives', () => {
  const frames = [
    '[2,"1","Heartbeat",{}]',
    '[3,"1",{"currentTime":"2026-12-04T00:00:00Z"}]',
    '[2,"2","StatusNotification",{"timestamp":"2026-12-04T00:00:00Z","connectorStatus":"Available","evseId":1,"connectorId":1}]',
    '[4,"3","NotSupported","no",{}]',
  ];
  for (const frame of frames) assert.deepEqual(redactFrame(frame), redact(JSON.parse(frame)));
});

test('redactFrame: secrets behind JSON escapes or in unusual case are still masked', () => {
  const escapedKey = '[2,"1","X",{"p\\u0061ssword":"hunter2"}]';
  assert.doesNotMatch(JSON.stringify(redactFrame(escapedKey)), /hunter2/);
  const escapedUrl = '[2,"1","UpdateFirmware",{"location":"ftp:\\/\\/u:hunter2@host\\/fw"}]';
  assert.doesNotMatch(JSON.stringify(redactFrame(escapedUrl)), /hunter2/);
  const upperKey = '[2,"1","X",{"KEY":"hunter2"}]';
  assert.doesNotMatch(JSON.stringify(redactFrame(upperKey)), /hunter2/);
  const variable =
    '[2,"1","SetVariables",{"setVariableData":[{"attributeValue":"hunter2","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}}]}]';
  assert.doesNotMatch(JSON.stringify(redactFrame(variable)), /hunter2/);
});

test('frameLogJson: the JSON text of the redacted frame; a frame without a secret is its own text, not re-serialized', () => {
  const plain = [
    '[2,"1","Heartbeat",{}]',
    '[3,"1",{"currentTime":"2026-12-04T00:00:00Z"}]',
    '[4,"3","NotSupported","no",{}]',
  ];
  for (const frame of plain) {
    assert.equal(frameLogJson(frame, true), frame, 'sent: no parse, no stringify');
    assert.equal(frameLogJson(frame, false), frame, 'received: checked to be JSON, kept as is');
  }
  // Received text that is not JSON (or not one line) must not break the log line it goes into.
  const odd = [
    'not json',
    '1,"stationId":"OTHER"',
    '[2,"1",\n"Heartbeat",{}]',
    '',
    '[2,"1","X",{"p\\u0061ssword":"hunter2"}]',
    '[2,"1","X",{"password":"hunter2"}]',
    '[2,"1","UpdateFirmware",{"location":"ftp://u:hunter2@host/fw"}]',
    'ftp://u:hunter2@host/fw',
  ];
  for (const frame of [...plain, ...odd]) {
    const json = frameLogJson(frame, false);
    assert.deepEqual(JSON.parse(json), redactFrame(frame), frame);
    assert.doesNotMatch(json, /hunter2|\n/, frame);
  }
  const line = `{"time":"t","frame":${frameLogJson('1,"stationId":"OTHER"', false)},"stationId":"A"}`;
  assert.equal((JSON.parse(line) as { stationId: string }).stationId, 'A');
});
