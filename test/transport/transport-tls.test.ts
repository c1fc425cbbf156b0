/** Security profiles 2 and 3 (Part 2 A00): TLS server verification and client certificates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transport } from '../../src/transport/transport.js';
import { TransportError } from '../../src/transport/errors.js';
import { peerCommonName, startWsServer } from '../helpers/ws-server.js';
import { testPki } from '../helpers/pki.js';
import { expectConnectError, password, requireBasicAuth, withServer } from '../helpers/transport-fixtures.js';

test('security profile 2: the CSMS certificate verifies against the configured CA; Basic auth is sent', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: pki.server, verify: requireBasicAuth('CS001', password) });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.ca.cert,
    });
    await transport.connect();
    const connection = await server.waitForConnection();
    assert.ok(server.url.startsWith('wss://'));
    assert.equal(connection.socket.protocol, 'ocpp2.0.1');
    await transport.close();
  });
});

test('security profile 2: a CSMS certificate from an untrusted CA is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: pki.server });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.otherCa.cert,
    });
    const error = await expectConnectError(transport, 'tls-server-certificate');
    assert.ok(error.code, 'the OpenSSL code is kept');
    assert.equal(server.connections.length, 0);
  });
});

test('security profile 2: a CSMS certificate for another host name is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: pki.ca.issueServerCertificate({ hosts: ['csms.example.com'] }) });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.ca.cert,
    });
    const error = await expectConnectError(transport, 'tls-server-certificate');
    assert.equal(error.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });
});

test('security profile 2: an expired CSMS certificate is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: pki.ca.issueServerCertificate({ validDays: -1 }) });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.ca.cert,
    });
    const error = await expectConnectError(transport, 'tls-server-certificate');
    assert.equal(error.code, 'CERT_HAS_EXPIRED');
  });
});

test('security profile 3: the client certificate is accepted and no Basic auth is sent', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: { ...pki.server, ca: pki.ca.cert, requestCert: true } });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 3,
      caCertificates: pki.ca.cert,
      clientCertificate: pki.client,
    });
    await transport.connect();
    const connection = await server.waitForConnection();
    assert.equal(peerCommonName(connection.request), 'CS001');
    assert.equal(connection.request.headers.authorization, undefined);
    await transport.close();
  });
});

test('security profile 3 server: a station without a client certificate is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: { ...pki.server, ca: pki.ca.cert, requestCert: true } });
  await withServer(server, async () => {
    // Profile 2 options: TLS and Basic auth, but no client certificate.
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 2,
      basicAuthPassword: password,
      caCertificates: pki.ca.cert,
    });
    let caught: unknown;
    await transport.connect().catch((e: unknown) => (caught = e));
    assert.ok(caught instanceof TransportError);
    assert.ok(['tls', 'network'].includes(caught.kind), `${caught.kind}: ${caught.message}`);
    assert.equal(server.connections.length, 0);
  });
});

test('security profile 3 server: a client certificate from an untrusted CA is refused', async () => {
  const pki = testPki();
  const server = await startWsServer({ tls: { ...pki.server, ca: pki.ca.cert, requestCert: true } });
  await withServer(server, async () => {
    const transport = new Transport({
      csmsUrl: server.url,
      identity: 'CS001',
      securityProfile: 3,
      caCertificates: pki.ca.cert,
      clientCertificate: pki.otherCa.issueClientCertificate({ commonName: 'CS001' }),
    });
    let caught: unknown;
    await transport.connect().catch((e: unknown) => (caught = e));
    assert.ok(caught instanceof TransportError);
    assert.ok(['tls', 'network'].includes(caught.kind), `${caught.kind}: ${caught.message}`);
    assert.equal(server.connections.length, 0);
  });
});
