/**
 * CSMS answers that carry tariff texts, for the tariff and driver-language tests: the CSMS's own
 * text plus the multi-language customization's extra texts (customData, vendor
 * org.openchargealliance.multilanguage).
 */
import type {
  CustomDataType,
  MessageContentType,
  TransactionEventRequest,
} from '../../src/generated/ocpp-types.js';
import type { Harness } from './station-harness.js';
import { acceptedTxAnswer } from './transactions-helpers.js';

/** customData of the multi-language customization: `field` holds the extra texts. */
export function multiLanguageData(field: string, extras: MessageContentType[]): CustomDataType {
  return { vendorId: 'org.openchargealliance.multilanguage', [field]: extras } as CustomDataType;
}

/**
 * The CSMS answers each Updated TransactionEvent with an updated tariff (I06): `text` and, as
 * multi-language extras, `extras`; the other events get the default answer.
 */
export function answerUpdatedTariff(
  h: Harness,
  text: MessageContentType,
  extras: MessageContentType[],
): void {
  h.csms.onCall('TransactionEvent', (call) => {
    const request = call.payload as TransactionEventRequest;
    if (request.eventType !== 'Updated') return acceptedTxAnswer(request);
    return {
      ...acceptedTxAnswer(request),
      updatedPersonalMessage: text,
      customData: multiLanguageData('updatedPersonalMessageExtra', extras),
    };
  });
}
