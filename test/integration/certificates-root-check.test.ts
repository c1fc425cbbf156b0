/**
 * M05.FR.09–14 (AdditionalRootCertificateCheck) with the whole station over TLS (security profile 2)
 * against the strict test CSMS: a new CSMS root must be signed by the installed one; the old one is
 * kept as a fallback, and a server certificate the new root does not verify is tried with it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  GetInstalledCertificateIdsResponse,
  InstallCertificateResponse,
} from '../../src/generated/ocpp-types.js';
import { FileCertificateStore } from '../../src/security/file-certificate-store.js';
import { createTestCertificateAuthority } from '../../src/testing/test-pki.js';
import { expectedHashData } from '../helpers/certificate-hash.js';
import { testPki } from '../helpers/pki.js';
import { recorder } from './recorder.js';
import { profile, startHarness } from './station-harness.js';

test('M05.FR.09–12/14 (TC_M_09_CS, TC_M_31_CS): with AdditionalRootCertificateCheck a CSMS root not signed by the installed one is Rejected; one signed by it is Accepted with the old kept as fallback, which verifies the CSMS when the new one does not', async (t) => {
  const pki = testPki();
  const directory = await mkdtemp(path.join(tmpdir(), 'acrc-'));
  // Provisioned before the first start: the store's root is the station's only trust anchor.
  await new FileCertificateStore(directory).addRoot('CSMSRootCertificate', pki.ca.cert);
  const events = recorder<string>();
  const links = recorder<boolean>();
  const h = await startHarness({
    csms: { tls: { cert: pki.server.cert, key: pki.server.key } },
    profiles: (csms) => [profile(1, csms.url, { securityProfile: 2 })],
    set: ['SecurityCtrlr.AdditionalRootCertificateCheck=true', 'OCPPCommCtrlr.RetryBackOffWaitMinimum=0'],
    station: {
      certificates: { directory },
      callbacks: {
        securityEventCallback: (type) => events.push(type),
        connectionStateChangedCallback: (up: boolean) => links.push(up),
      },
    },
  });
  // The certificate store is removed once the station is closed: removing it while the station may
  // still write there can fail (ENOTEMPTY), and node:test then skips the later hooks (the running
  // station would hold the process, as in test/fleet/fleet-firmware.test.ts).
  t.after(async () => {
    await h.close();
    await rm(directory, { recursive: true, force: true });
  });
  await h.csms.waitForCall('BootNotification');
  const install = (certificate: string) =>
    h.csms.call(h.identity, 'InstallCertificate', {
      certificateType: 'CSMSRootCertificate',
      certificate,
    }) as Promise<InstallCertificateResponse>;

  assert.equal((await install(pki.otherCa.cert)).status, 'Rejected', 'M05.FR.11');
  const successor = createTestCertificateAuthority({ commonName: 'Test CSMS Root CA 2', issuer: pki.ca });
  assert.equal((await install(successor.cert)).status, 'Accepted', 'M05.FR.12');
  const roots = (await h.csms.call(h.identity, 'GetInstalledCertificateIds', {
    certificateType: ['CSMSRootCertificate'],
  })) as GetInstalledCertificateIdsResponse;
  assert.deepEqual(
    new Set(roots.certificateHashDataChain?.map((c) => c.certificateHashData.serialNumber)),
    new Set([
      expectedHashData(pki.ca.cert).serialNumber,
      expectedHashData(successor.cert, pki.ca.cert).serialNumber,
    ]),
  );

  // The CSMS still presents a certificate of the old hierarchy: the new root refuses it, the
  // fallback accepts it (M05.FR.14).
  const mark = links.items.length;
  await h.csms.disconnect(h.identity);
  await links.waitFor((up) => up, 'the reconnection', { from: mark });
  assert.ok(events.count((type) => type === 'InvalidCsmsCertificate') >= 1);
  const after = (await h.csms.call(h.identity, 'GetInstalledCertificateIds', {
    certificateType: ['CSMSRootCertificate'],
  })) as GetInstalledCertificateIdsResponse;
  assert.equal(after.certificateHashDataChain?.length, 2, 'the fallback stays until the new root connects');
  assert.deepEqual(h.csms.validationFailures, []);
});
