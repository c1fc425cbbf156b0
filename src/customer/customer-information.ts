/**
 * Customer information (N09 report, N10 clear): what the station holds about one customer, reported
 * in NotifyCustomerInformationRequests and/or removed. The station's own data is the Authorization
 * Cache entry of an idToken (and, reported only, its Local Authorization List entry: the list is the
 * CSMS's to change, N10.FR.02/03); the host's data comes from get/clearCustomerInformationCallback.
 */
import type { AuthorizationData } from '../authorization/authorization-data.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type {
  CustomerInformationRequest,
  CustomerInformationResponse,
  NotifyCustomerInformationRequest,
} from '../generated/ocpp-types.js';

/** NotifyCustomerInformationRequest.data maxLength in the OCPP 2.0.1 schema. */
export const SCHEMA_DATA_LENGTH = 512;

/** N09.FR.06 / N10.FR.04: the one message when nothing is stored about the customer. */
export const NO_DATA_TEXT = 'No customer information found';
/** N10.FR.06: the one message after a clear without report. */
export const CLEARED_TEXT = 'Customer information cleared';

/**
 * The CustomerInformationResponse status: Invalid without exactly one customer reference (N09.FR.09),
 * Rejected when neither report nor clear is asked (N09.FR.07, N10.FR.07), else Accepted.
 *
 * @example
 * customerInformationStatus({ requestId: 1, report: true, clear: false, customerIdentifier: 'c-1' }).status; // 'Accepted'
 */
export function customerInformationStatus(request: CustomerInformationRequest): CustomerInformationResponse {
  const references = [request.idToken, request.customerCertificate, request.customerIdentifier].filter(
    (r) => r !== undefined,
  ).length;
  if (references !== 1) {
    return {
      status: 'Invalid',
      statusInfo: {
        reasonCode: references === 0 ? 'MissingParam' : 'InvalidValue',
        additionalInfo: 'exactly one of idToken, customerCertificate, customerIdentifier is required',
      },
    };
  }
  if (!request.report && !request.clear) {
    return { status: 'Rejected', statusInfo: { reasonCode: 'InvalidValue', additionalInfo: 'neither report nor clear' } };
  }
  return { status: 'Accepted' };
}

/**
 * Splits `text` into NotifyCustomerInformationRequests of at most `maxLength` characters of data each
 * (InternalCtrlr.MaxCustomerInformationDataLength, and never past the schema's 512), seqNo from 0,
 * tbc on all but the last. An empty text is one message with empty data.
 *
 * @example
 * splitCustomerInformation('x'.repeat(600), { requestId: 3, generatedAt: now, maxLength: 512 }).length; // 2
 */
export function splitCustomerInformation(
  text: string,
  options: { requestId: number; generatedAt: string; maxLength?: number | undefined },
): NotifyCustomerInformationRequest[] {
  const size = Math.max(1, Math.min(options.maxLength ?? SCHEMA_DATA_LENGTH, SCHEMA_DATA_LENGTH));
  // Split by code points so that no surrogate pair is cut in two.
  const chars = [...text];
  const chunks: string[] = [];
  for (let i = 0; i < chars.length; i += size) chunks.push(chars.slice(i, i + size).join(''));
  if (chunks.length === 0) chunks.push('');
  return chunks.map((data, seqNo) => ({
    data,
    seqNo,
    generatedAt: options.generatedAt,
    requestId: options.requestId,
    ...(seqNo < chunks.length - 1 ? { tbc: true } : {}),
  }));
}

export interface CustomerDataPorts {
  callbacks: ChargePointCallbacks;
  authorization: AuthorizationData;
}

/**
 * The readable text of everything held about the customer (empty: nothing): the host's text first,
 * then the station's Authorization Cache and Local Authorization List entries of an idToken.
 *
 * @example
 * await customerText(ports, request); // 'AuthorizationCache: ISO14443 04A2B3C4, status Accepted, ...'
 */
export async function customerText(ports: CustomerDataPorts, request: CustomerInformationRequest): Promise<string> {
  const parts: string[] = [];
  const host = ports.callbacks.getCustomerInformationCallback;
  if (host) {
    const text = await host(request.customerCertificate, request.idToken, request.customerIdentifier);
    if (text) parts.push(text);
  }
  if (request.idToken) {
    const cached = ports.authorization.cacheRecord(request.idToken);
    if (cached) {
      parts.push(
        `AuthorizationCache: ${cached.idToken.type} ${cached.idToken.idToken}, status ${cached.info.status}` +
          `${cached.info.groupIdToken ? `, group ${cached.info.groupIdToken.idToken}` : ''}` +
          `, stored ${cached.insertedAt}, last used ${cached.lastUsedAt}`,
      );
    }
    const listed = ports.authorization.localEntry(request.idToken);
    if (listed?.from === 'localList') {
      parts.push(`LocalAuthorizationList: ${request.idToken.type} ${request.idToken.idToken}, status ${listed.info.status}`);
    }
  }
  return parts.join('\n');
}

/**
 * N10.FR.03/06: removes the customer's data: the host's (clearCustomerInformationCallback) and the
 * station's Authorization Cache entry of an idToken. The Local Authorization List is left to the CSMS.
 *
 * @example
 * await clearCustomer(ports, { requestId: 1, report: false, clear: true, idToken });
 */
export async function clearCustomer(ports: CustomerDataPorts, request: CustomerInformationRequest): Promise<void> {
  await ports.callbacks.clearCustomerInformationCallback?.(
    request.customerCertificate,
    request.idToken,
    request.customerIdentifier,
  );
  if (request.idToken) await ports.authorization.forgetCacheEntry(request.idToken);
}
