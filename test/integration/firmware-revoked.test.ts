/**
 * UpdateFirmwareStatus RevokedCertificate (L01): a signing certificate that chains to an installed
 * ManufacturerRootCertificate but that the host's revocation check (FirmwareOptions
 * .signingCertificateRevoked: a CRL or an OCSP answer, e.g. through station.getCertificateStatus)
 * says is revoked is answered RevokedCertificate before anything is downloaded, with the security
 * event InvalidFirmwareSigningCertificate; a check that says "not revoked" lets the same request
 * through, and one that throws is reported and does not block the update (soft fail).
 * Over the websocket against the strict test CSMS with a local http file server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { UpdateFirmwareResponse } from '../../src/generated/ocpp-types.js';
import {
  expectStatuses,
  firmwareHost,
  securityEvents,
  signFirmware,
  signingMaterial,
  startFileServer,
  updateRequest,
} from './firmware-helpers.js';
import { settle, startTxHarness } from './transactions-helpers.js';

const IMAGE = Buffer.from('firmware v3.0.0\n'.repeat(1024));

test('L01 RevokedCertificate (L01.FR.21/22, L01.FR.02): a revoked signing certificate is answered RevokedCertificate with InvalidFirmwareSigningCertificate and nothing is downloaded; not revoked, the update runs; a failing check is reported and does not block', async (t) => {
  const { root, signer } = signingMaterial();
  const server = await startFileServer({ 'fw.bin': IMAGE });
  t.after(() => server.close());
  const host = firmwareHost();
  const revokedSerials = new Set([new X509Certificate(signer.cert).serialNumber]);
  let broken = false;
  const asked: string[] = [];
  const h = await startTxHarness({
    station: {
      callbacks: host.callbacks,
      firmware: {
        manufacturerRootCertificates: [root.cert],
        signingCertificateRevoked: (pem) => {
          asked.push(pem);
          if (broken) throw new Error('OCSP responder unreachable');
          return revokedSerials.has(new X509Certificate(pem).serialNumber);
        },
      },
    },
  });
  t.after(() => h.close());
  const request = (requestId: number) =>
    updateRequest(requestId, server.url('fw.bin'), {
      signingCertificate: signer.cert,
      signature: signFirmware(IMAGE, signer.key),
    });
  const send = async (requestId: number) =>
    (await h.csms.call(h.identity, 'UpdateFirmware', request(requestId))) as UpdateFirmwareResponse;

  const refused = await send(51);
  assert.deepEqual(refused, {
    status: 'RevokedCertificate',
    statusInfo: {
      reasonCode: 'RevokedCertificate',
      additionalInfo: 'the firmware signing certificate is revoked',
    },
  });
  assert.deepEqual(asked, [signer.cert], 'the host was asked about the request’s signing certificate');
  await h.csms.waitForCall(
    'SecurityEventNotification',
    (c) => (c.payload as { type: string }).type === 'InvalidFirmwareSigningCertificate',
  );
  await settle(h);
  assert.deepEqual(server.requests, [], 'nothing downloaded');
  assert.equal(
    h.csms.calls.filter((c) => c.action === 'FirmwareStatusNotification').length,
    0,
    'no update started',
  );

  // The CRL/OCSP answer changes (the certificate is good): the same request is accepted and runs.
  revokedSerials.clear();
  assert.equal((await send(52)).status, 'Accepted');
  await expectStatuses(h, 52, ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed']);

  // A revocation source that cannot answer is reported to the host and does not block (soft fail).
  broken = true;
  assert.equal((await send(53)).status, 'Accepted');
  await expectStatuses(h, 53, ['Downloading', 'Downloaded', 'SignatureVerified', 'Installing', 'Installed']);
  await settle(h);
  assert.ok(
    h.errors.some((e) => /OCSP responder unreachable/.test(String(e))),
    String(h.errors),
  );
  assert.equal(host.installs.length, 2);
  assert.equal(securityEvents(h).filter((type) => type === 'InvalidFirmwareSigningCertificate').length, 1);
  assert.deepEqual(h.csms.validationFailures, []);
});
