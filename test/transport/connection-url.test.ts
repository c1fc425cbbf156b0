import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertValidIdentity, buildConnectionUrl } from '../../src/transport/connection-url.js';
import { TransportConfigError } from '../../src/transport/errors.js';

// [endpoint URL, identity, connection URL]
const urls: Array<[string, string, string]> = [
  ['ws://csms.example.com/ocpp', 'CS001', 'ws://csms.example.com/ocpp/CS001'], // Part 4 §3.1.1 example 1
  ['wss://csms.example.com/ocppj', 'RDAM 123', 'wss://csms.example.com/ocppj/RDAM%20123'], // example 2
  ['ws://csms.example.com/ocpp/', 'CS001', 'ws://csms.example.com/ocpp/CS001'],
  ['ws://csms.example.com/ocpp//', 'CS001', 'ws://csms.example.com/ocpp/CS001'],
  ['ws://csms.example.com', 'CS001', 'ws://csms.example.com/CS001'],
  ['ws://csms.example.com:9000/a/b?tenant=7', 'CS001', 'ws://csms.example.com:9000/a/b/CS001?tenant=7'],
  [
    'ws://127.0.0.1:8180/steve/websocket/CentralSystemService',
    'cs/01#?',
    'ws://127.0.0.1:8180/steve/websocket/CentralSystemService/cs%2F01%23%3F',
  ],
  ['ws://csms.example.com/ocpp', 'ÄÖ-ü', 'ws://csms.example.com/ocpp/%C3%84%C3%96-%C3%BC'],
];

for (const [endpoint, identity, expected] of urls) {
  test(`${endpoint} + ${JSON.stringify(identity)} -> ${expected}`, () => {
    assert.equal(buildConnectionUrl(endpoint, identity).href, expected);
  });
}

// [endpoint URL, identity, variable in the error]
const refused: Array<[string, string, string]> = [
  ['not a url', 'CS001', 'NetworkConnectionProfile.ocppCsmsUrl'],
  ['https://csms.example.com', 'CS001', 'NetworkConnectionProfile.ocppCsmsUrl'],
  ['ws://csms.example.com/ocpp#frag', 'CS001', 'NetworkConnectionProfile.ocppCsmsUrl'],
  ['ws://csms.example.com/ocpp', '', 'SecurityCtrlr.Identity'],
  ['ws://csms.example.com/ocpp', 'a'.repeat(49), 'SecurityCtrlr.Identity'],
  ['ws://csms.example.com/ocpp', 'CS:001', 'SecurityCtrlr.Identity'],
];

for (const [endpoint, identity, variable] of refused) {
  test(`${JSON.stringify(endpoint)} + ${JSON.stringify(identity.slice(0, 10))} is refused naming ${variable}`, () => {
    assert.throws(
      () => buildConnectionUrl(endpoint, identity),
      (e: unknown) => e instanceof TransportConfigError && e.variable === variable,
    );
  });
}

test('an identity of 48 characters is accepted', () => {
  assert.doesNotThrow(() => assertValidIdentity('a'.repeat(48)));
});
