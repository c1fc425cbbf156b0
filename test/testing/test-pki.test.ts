import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createTestCertificateAuthority } from '../../src/testing/test-pki.js';

test('the CA issues server and client certificates that chain to it with the right names', () => {
  const ca = createTestCertificateAuthority({ commonName: 'My Root' });
  const caCert = new X509Certificate(ca.cert);
  assert.equal(caCert.ca, true);
  assert.match(caCert.subject, /CN=My Root/);

  const server = new X509Certificate(ca.issueServerCertificate({ hosts: ['127.0.0.1', 'csms.local'] }).cert);
  assert.ok(server.checkIssued(caCert));
  assert.ok(server.verify(caCert.publicKey));
  assert.equal(server.ca, false);
  assert.equal(server.subjectAltName, 'IP Address:127.0.0.1, DNS:csms.local');
  assert.ok(server.checkIP('127.0.0.1'));
  assert.equal(server.checkHost('csms.local'), 'csms.local');

  const clientPair = ca.issueClientCertificate({ commonName: 'CS001', organization: 'Acme CSO' });
  const client = new X509Certificate(clientPair.cert);
  assert.ok(client.verify(caCert.publicKey));
  assert.match(client.subject, /CN=CS001/);
  assert.match(client.subject, /O=Acme CSO/);
  assert.ok(client.checkPrivateKey(createPrivateKey(clientPair.key)));
  assert.ok(client.keyUsage?.includes('1.3.6.1.5.5.7.3.2'), 'extended key usage clientAuth');
});

test('validDays < 0 makes an expired certificate; an empty host list is refused', () => {
  const ca = createTestCertificateAuthority();
  const expired = new X509Certificate(ca.issueServerCertificate({ validDays: -1 }).cert);
  assert.ok(Date.parse(expired.validTo) < Date.now());
  assert.throws(() => ca.issueServerCertificate({ hosts: [] }), /hosts must name at least one host/);
});

test('another CA does not vouch for this CA’s certificates', () => {
  const a = createTestCertificateAuthority();
  const b = createTestCertificateAuthority();
  const leaf = new X509Certificate(a.issueServerCertificate().cert);
  assert.equal(leaf.verify(new X509Certificate(b.cert).publicKey), false);
});
