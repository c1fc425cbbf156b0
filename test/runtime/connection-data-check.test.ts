import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkConnectionProfileType } from '../../src/generated/ocpp-types.js';
import { connectionDataProblem, messageTimeoutMs } from '../../src/runtime/connection-data-check.js';

const data = (overrides: Partial<NetworkConnectionProfileType> = {}): NetworkConnectionProfileType => ({
  ocppVersion: 'OCPP20',
  ocppTransport: 'JSON',
  ocppInterface: 'Wired0',
  ocppCsmsUrl: 'ws://csms.example.com/ocpp',
  messageTimeout: 30,
  securityProfile: 1,
  ...overrides,
});

test('B09.FR.02: connectionData that cannot work is named; usable ones pass', () => {
  const cases: Array<[Partial<NetworkConnectionProfileType>, RegExp | undefined]> = [
    [{}, undefined],
    [{ securityProfile: 2, ocppCsmsUrl: 'wss://csms.example.com/ocpp' }, undefined],
    [{ securityProfile: 3, ocppCsmsUrl: 'wss://csms.example.com/ocpp' }, undefined],
    [{ messageTimeout: -5 }, /^messageTimeout -5 s/],
    [{ messageTimeout: 0 }, /^messageTimeout 0 s/],
    [{ messageTimeout: 2_147_484 }, /^messageTimeout/],
    [{ securityProfile: 0 }, /^securityProfile 0/],
    [{ securityProfile: 4, ocppCsmsUrl: 'wss://csms.example.com/ocpp' }, /^securityProfile 4/],
    [{ ocppTransport: 'SOAP' }, /OCPP-J/],
    [{ ocppCsmsUrl: 'not a url' }, /not a URL/],
    [{ ocppCsmsUrl: 'https://csms.example.com/ocpp' }, /ws:\/\/ or wss:\/\//],
    [{ ocppCsmsUrl: 'ws://csms.example.com/ocpp#x' }, /fragment/],
    [{ securityProfile: 2 }, /needs wss:\/\//],
    [{ ocppCsmsUrl: 'wss://csms.example.com/ocpp' }, /needs ws:\/\//],
  ];
  for (const [overrides, expected] of cases) {
    const problem = connectionDataProblem(data(overrides));
    if (expected === undefined) assert.equal(problem, undefined, JSON.stringify(overrides));
    else assert.match(problem ?? '', expected, JSON.stringify(overrides));
  }
});

test('the message timeout of a stored profile that cannot be used falls back to MessageTimeout, never 0 or negative', () => {
  assert.equal(messageTimeoutMs(data({ messageTimeout: 10 }), 30), 10_000);
  assert.equal(messageTimeoutMs(data({ messageTimeout: -5 }), 30), 30_000);
  assert.equal(messageTimeoutMs(data({ messageTimeout: 0 }), 30), 30_000);
  assert.equal(messageTimeoutMs(data({ messageTimeout: -5 }), 0), 1000);
});
