/**
 * Meter values (OCPP 2.0.1 functional block J, and the meter data of E TransactionEvent): pure
 * functions, no I/O and no clock (times are RFC 3339 strings passed in). docs/meter-values.md
 * documents every rule and choice.
 *
 * @example
 * import { meterValueFor, nextClockAlignedTime, parseMeasurandList } from './meter-values/index.js';
 */
export { DEFAULT_MEASURAND, MEASURANDS, isMeasurand, measurandOf } from './measurand.js';
export { parseMeasurandList } from './parse-measurand-list.js';
export type { MeterValueOptions } from './meter-value-for.js';
export { meterValueFor } from './meter-value-for.js';
export type { ClockAlignedOptions } from './clock-aligned-time.js';
export { nextClockAlignedTime } from './clock-aligned-time.js';
export { nextPeriodicTime } from './periodic-time.js';
export { fitMeterValues } from './fit-meter-values.js';
export { splitMeterValues } from './split-meter-values.js';
export type { ElectricalSample } from './reading-from-electrical.js';
export { readingFromElectrical } from './reading-from-electrical.js';
export type { SignableReading, SignedMeterValueInput } from './signed-meter-value.js';
export { ENCODING_METHOD, SIGNING_METHOD, signedMeterValue, signedPayload } from './signed-meter-value.js';
export type { PublicKeyWithSignedMeterValue } from './public-key-setting.js';
export { includePublicKey } from './public-key-setting.js';
export { spkiPemToBase64Der } from './spki-pem.js';
