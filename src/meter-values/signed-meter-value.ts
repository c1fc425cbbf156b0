/**
 * SignedMeterValueType for a simulated signing meter. Signing itself is injected (`sign`), so this
 * stays pure: no key material, no crypto calls.
 */
import type {
  LocationEnumType,
  MeasurandEnumType,
  PhaseEnumType,
  ReadingContextEnumType,
  SignedMeterValueType,
} from '../generated/ocpp-types.js';
import { formatInstant, parseInstant } from './instant.js';
import { DEFAULT_MEASURAND } from './measurand.js';
import { spkiPemToBase64Der } from './spki-pem.js';

/** Default SignedMeterValueType.signingMethod: ECDSA on NIST P-256 over SHA-256. */
export const SIGNING_METHOD = 'ECDSA-secp256r1-SHA256';
/**
 * SignedMeterValueType.encodingMethod of this module: signedMeterData is base64 of the UTF-8 text
 * `SIM-JSON-1|<payload>|<signature>` (docs/meter-values.md).
 */
export const ENCODING_METHOD = 'SIM-JSON-1';

// SignedMeterValueType limits (MeterValuesRequest.json).
const MAX_SIGNED_METER_DATA = 2500;
const MAX_PUBLIC_KEY = 2500;
const MAX_METHOD = 50;

/** The reading to sign: the fields of one SampledValueType plus its meter value's timestamp. */
export interface SignableReading {
  /** RFC 3339; signed as UTC with milliseconds. */
  timestamp: string;
  value: number;
  /** Absent: Energy.Active.Import.Register. */
  measurand?: MeasurandEnumType;
  /** Absent: Wh for an Energy measurand (the UnitOfMeasureType default), otherwise not signed. */
  unit?: string;
  multiplier?: number;
  phase?: PhaseEnumType;
  location?: LocationEnumType;
  context?: ReadingContextEnumType;
}

/** What signedMeterValue needs. */
export interface SignedMeterValueInput {
  meterValue: SignableReading;
  /** Signs the payload bytes, e.g. `(data) => crypto.sign('sha256', data, meterKey)` (DER ECDSA). */
  sign: (data: Buffer) => Uint8Array;
  /** Decided by includePublicKey(PublicKeyWithSignedMeterValue, ...). */
  includePublicKey: boolean;
  /** The meter's public key, "-----BEGIN PUBLIC KEY-----" PEM; required when includePublicKey. */
  publicKeyPem?: string;
  /** Defaults to SIGNING_METHOD; must name what `sign` does. */
  signingMethod?: string;
}

/**
 * Builds the SignedMeterValueType of one reading (J01.FR.21, J02.FR.21, E02.FR.14: the signed
 * value goes in SampledValueType.signedMeterValue).
 *
 * Encoding (encodingMethod 'SIM-JSON-1', shaped like OCMF's `OCMF|payload|signature`):
 * - payload: deterministic JSON of the reading, keys in the fixed order timestamp, measurand,
 *   value, unit, multiplier, phase, location, context; timestamp as RFC 3339 UTC with
 *   milliseconds; defaults written out (measurand; unit Wh for Energy measurands); absent
 *   optional fields left out. The same reading always gives the same bytes.
 * - signature: base64 of `sign(UTF-8 bytes of payload)`; a verifier checks it against exactly
 *   the payload text between the first and the last '|', no re-encoding needed.
 * - signedMeterData: base64 of the UTF-8 text `SIM-JSON-1|<payload>|<signature>`.
 * publicKey is the base64 DER of `publicKeyPem` when includePublicKey, else '' (Part 2 §2.7.17:
 * the field is required, so it is present and empty when the key is not sent).
 *
 * Throws a RangeError when a field would break the schema (signedMeterData or publicKey over
 * 2500 characters, signingMethod empty or over 50), for a non-RFC 3339 timestamp, a non-finite
 * value, a non-integer multiplier, an empty signature, or includePublicKey without a valid PEM.
 *
 * @example
 * signedMeterValue({
 *   meterValue: { timestamp: '2025-01-01T10:00:00Z', value: 1520.5 },
 *   sign: (data) => crypto.sign('sha256', data, meterPrivateKey),
 *   includePublicKey: false,
 * });
 * // { signedMeterData: 'U0lNLUpTT04tMXx7InRpbWVzdGFtcCI6...', signingMethod: 'ECDSA-secp256r1-SHA256',
 * //   encodingMethod: 'SIM-JSON-1', publicKey: '' }
 */
export function signedMeterValue(input: SignedMeterValueInput): SignedMeterValueType {
  const signingMethod = input.signingMethod ?? SIGNING_METHOD;
  if (signingMethod === '' || signingMethod.length > MAX_METHOD) {
    throw new RangeError(`signingMethod: must be 1..${MAX_METHOD} characters`);
  }
  // Part 2 §2.7.17 PublicKeyWithSignedMeterValue: publicKey is required, '' when not sent.
  let publicKey = '';
  if (input.includePublicKey) {
    if (input.publicKeyPem === undefined)
      throw new RangeError('publicKeyPem: required when includePublicKey');
    publicKey = spkiPemToBase64Der(input.publicKeyPem);
    if (publicKey.length > MAX_PUBLIC_KEY) {
      throw new RangeError(`publicKey: ${publicKey.length} characters, the schema allows ${MAX_PUBLIC_KEY}`);
    }
  }
  const payload = signedPayload(input.meterValue);
  const signature = input.sign(Buffer.from(payload, 'utf8'));
  if (signature.length === 0) throw new RangeError('sign: returned an empty signature');
  const text = `${ENCODING_METHOD}|${payload}|${Buffer.from(signature).toString('base64')}`;
  const signedMeterData = Buffer.from(text, 'utf8').toString('base64');
  // SignedMeterValueType.signedMeterData is string[0..2500].
  if (signedMeterData.length > MAX_SIGNED_METER_DATA) {
    throw new RangeError(
      `signedMeterData: ${signedMeterData.length} characters, the schema allows ${MAX_SIGNED_METER_DATA}`,
    );
  }
  return { signedMeterData, signingMethod, encodingMethod: ENCODING_METHOD, publicKey };
}

/**
 * The deterministic JSON text that is signed for `reading` (the payload section of SIM-JSON-1).
 *
 * @example
 * signedPayload({ timestamp: '2025-01-01T11:00:00+01:00', value: 1520.5 });
 * // '{"timestamp":"2025-01-01T10:00:00.000Z","measurand":"Energy.Active.Import.Register","value":1520.5,"unit":"Wh"}'
 */
export function signedPayload(reading: SignableReading): string {
  const timestamp = formatInstant(parseInstant(reading.timestamp, 'meterValue.timestamp'));
  if (!Number.isFinite(reading.value))
    throw new RangeError(`meterValue.value: ${reading.value} is not finite`);
  if (reading.multiplier !== undefined && !Number.isInteger(reading.multiplier)) {
    throw new RangeError(`meterValue.multiplier: ${reading.multiplier} is not an integer`);
  }
  const measurand = reading.measurand ?? DEFAULT_MEASURAND;
  const unit = reading.unit ?? (measurand.startsWith('Energy.') ? 'Wh' : undefined);
  // Built in a fixed key order; JSON.stringify keeps insertion order and drops undefined.
  return JSON.stringify({
    timestamp,
    measurand,
    value: reading.value,
    unit,
    multiplier: reading.multiplier,
    phase: reading.phase,
    location: reading.location,
    context: reading.context,
  });
}
