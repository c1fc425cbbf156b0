/**
 * OCPPCommCtrlr.PublicKeyWithSignedMeterValue: when the public key goes with a signed meter value.
 */

/** The values of OCPPCommCtrlr.PublicKeyWithSignedMeterValue (an OptionList). */
export type PublicKeyWithSignedMeterValue = 'Never' | 'OncePerTransaction' | 'EveryMeterValue';

/**
 * Whether the next signed meter value carries the public key (Part 2 §2.7.17): Never: no;
 * EveryMeterValue: yes; OncePerTransaction: only when it has not been sent yet in this
 * transaction. An absent setting (the variable is optional) means no: the key is not sent and the
 * CSMS gets it another way. When it is not sent, SignedMeterValueType.publicKey is the empty
 * string ("the field is required, so it needs to be present as an empty string").
 *
 * Outside a transaction (clock-aligned MeterValuesRequest) OncePerTransaction has no transaction
 * to count in; the caller passes what it tracks (e.g. per EVSE since boot).
 * Throws a RangeError for a value outside the OptionList.
 *
 * @example
 * includePublicKey('OncePerTransaction', false); // true
 * includePublicKey('OncePerTransaction', true); // false
 * includePublicKey('EveryMeterValue', true); // true
 */
export function includePublicKey(
  setting: PublicKeyWithSignedMeterValue | undefined,
  alreadySentThisTransaction: boolean,
): boolean {
  switch (setting) {
    case undefined:
    case 'Never':
      return false;
    case 'OncePerTransaction':
      return !alreadySentThisTransaction;
    case 'EveryMeterValue':
      return true;
    default:
      throw new RangeError(
        `PublicKeyWithSignedMeterValue: ${JSON.stringify(setting)} is not Never, OncePerTransaction or EveryMeterValue`,
      );
  }
}
