/**
 * The station the ISO 15118 certificate tests start from: booted against the strict test CSMS with
 * the organisation and SECC id a V2G CSR needs (A02: CN = SeccId, O = ISO15118Ctrlr.OrganizationName).
 */
import { startHarness, type Harness } from './station-harness.js';

/** RSA 2048 key generation before each SignCertificate takes seconds on a busy machine. */
export const KEYGEN_TIMEOUT_MS = 30_000;

/**
 * A station with SecurityCtrlr and ISO15118Ctrlr set for V2G certificates, booted and reporting.
 *
 * @example
 * const h = await bootedV2gStation();
 * t.after(() => h.close());
 */
export async function bootedV2gStation(): Promise<Harness> {
  const h = await startHarness({
    set: [
      'SecurityCtrlr.OrganizationName=Test CSO',
      'ISO15118Ctrlr.SeccId=SECC-0001',
      'ISO15118Ctrlr.OrganizationName=Test CPO',
    ],
  });
  await h.csms.waitForCall('BootNotification');
  await h.csms.waitForCall('StatusNotification');
  return h;
}
