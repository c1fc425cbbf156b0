/**
 * A05.FR.02–04 with the whole station against the strict test CSMS: NetworkConfigurationPriority may
 * only put a higher security profile first once its certificates are installed (a CSMS root for 2
 * and 3, a ChargingStationCertificate for 3, obtained here through A02).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  CertificateSignedResponse,
  SetVariablesResponse,
  SignCertificateRequest,
} from '../../src/generated/ocpp-types.js';
import { testPki } from '../helpers/pki.js';
import { profile, startHarness, type Harness } from './station-harness.js';

/** RSA 2048 key generation before each SignCertificate takes seconds on a busy machine. */
const KEYGEN_TIMEOUT_MS = 30_000;

const setPriority = async (h: Harness, value: string) => {
  const response = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'NetworkConfigurationPriority' },
        attributeValue: value,
      },
    ],
  })) as SetVariablesResponse;
  return response.setVariableResult[0];
};

test('A05.FR.02/03/04 (TC_A_19/20/21_CS): a priority putting profile 3 first is Rejected without a CSMS root, then without a client certificate; Accepted once they are installed', async (t) => {
  const pki = testPki();
  const h = await startHarness({
    identity: 'CS001',
    profiles: (csms) => [profile(1, csms.url), profile(2, 'wss://127.0.0.1:9/ocpp', { securityProfile: 3 })],
    set: ['OCPPCommCtrlr.NetworkConfigurationPriority=1,2', 'SecurityCtrlr.OrganizationName=Test CSO'],
  });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');

  const noRoot = await setPriority(h, '2,1');
  assert.equal(noRoot?.attributeStatus, 'Rejected');
  assert.equal(noRoot?.attributeStatusInfo?.reasonCode, 'NoCertificate');
  assert.match(noRoot?.attributeStatusInfo?.additionalInfo ?? '', /CSMSRootCertificate/);

  await h.csms.call(h.identity, 'InstallCertificate', {
    certificateType: 'CSMSRootCertificate',
    certificate: pki.ca.cert,
  });
  const noClient = await setPriority(h, '2,1');
  assert.equal(noClient?.attributeStatus, 'Rejected');
  assert.match(noClient?.attributeStatusInfo?.additionalInfo ?? '', /ChargingStationCertificate/);

  // A02 under profile 1: the station gets its client certificate, then profile 3 may come first.
  await h.csms.call(h.identity, 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' });
  const { csr } = (await h.csms.waitForCall('SignCertificate', undefined, KEYGEN_TIMEOUT_MS))
    .payload as SignCertificateRequest;
  const signed = (await h.csms.call(h.identity, 'CertificateSigned', {
    certificateChain: pki.ca.signCsr(csr),
  })) as CertificateSignedResponse;
  assert.equal(signed.status, 'Accepted');
  assert.ok(['Accepted', 'RebootRequired'].includes((await setPriority(h, '2,1'))?.attributeStatus ?? ''));
  assert.deepEqual(h.csms.validationFailures, []);
});

test('A05.FR.06 + appendix 1: connecting with a higher security profile changes SecurityProfile and logs ReconfigurationOfSecurityParameters', async (t) => {
  const pki = testPki();
  const events: Array<{ type: string; techInfo: string | undefined }> = [];
  const h = await startHarness({
    csms: { tls: { cert: pki.server.cert, key: pki.server.key } },
    profiles: (csms) => [profile(1, csms.url, { securityProfile: 2 })],
    station: {
      tls: { ca: pki.ca.cert },
      callbacks: { securityEventCallback: (type, techInfo) => events.push({ type, techInfo }) },
    },
  });
  t.after(() => h.close());
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');
  assert.deepEqual(
    events.filter((e) => e.type === 'ReconfigurationOfSecurityParameters'),
    [{ type: 'ReconfigurationOfSecurityParameters', techInfo: 'SecurityProfile 1 -> 2' }],
  );
});
