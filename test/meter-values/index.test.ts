import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { MeterValueType } from '../../src/generated/ocpp-types.js';
import * as meterValues from '../../src/meter-values/index.js';
import { validateRequest } from '../../src/validation/index.js';

const {
  fitMeterValues,
  includePublicKey,
  meterValueFor,
  nextPeriodicTime,
  parseMeasurandList,
  readingFromElectrical,
  signedMeterValue,
  splitMeterValues,
} = meterValues;

test('the barrel exports the meter-values API', () => {
  assert.deepEqual(Object.keys(meterValues).sort(), [
    'DEFAULT_MEASURAND',
    'ENCODING_METHOD',
    'MEASURANDS',
    'SIGNING_METHOD',
    'fitMeterValues',
    'includePublicKey',
    'isMeasurand',
    'measurandOf',
    'meterValueFor',
    'nextClockAlignedTime',
    'nextPeriodicTime',
    'parseMeasurandList',
    'readingFromElectrical',
    'signedMeterValue',
    'signedPayload',
    'spkiPemToBase64Der',
    'splitMeterValues',
  ]);
});

test('E06.FR.11 / J02.FR.20: a simulated transaction ends with a schema-valid, thinned TransactionEvent(Ended)', () => {
  const start = '2025-01-01T10:00:00Z';
  const txEnded = parseMeasurandList('Energy.Active.Import.Register, Current.Import');
  const meterKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyPem = meterKey.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let keySent = false;

  /** The simulated meter at `timestamp`, energy signed like a signing meter would. */
  const sample = (timestamp: string, energyWh: number): MeterValueType => {
    const reading = readingFromElectrical({
      timestamp,
      energyWh,
      powerW: 11_040,
      currentA: 16,
      voltageV: 230,
      phases: 3,
    });
    const withKey = includePublicKey('OncePerTransaction', keySent);
    keySent ||= withKey;
    reading.sampledValue[0].signedMeterValue = signedMeterValue({
      meterValue: { timestamp, value: energyWh },
      sign: (data) => sign('sha256', data, meterKey.privateKey),
      includePublicKey: withKey,
      publicKeyPem,
    });
    return reading;
  };

  // TxEndedInterval 600 s over one hour: Transaction.Begin, five periodic samples, Transaction.End.
  const collected: MeterValueType[] = [];
  collected.push(
    meterValueFor(sample(start, 1000), {
      measurands: txEnded,
      context: 'Transaction.Begin',
      signReadings: true,
    })!,
  );
  let at = start;
  for (let i = 1; i <= 5; i++) {
    at = nextPeriodicTime(start, at, 600)!;
    collected.push(
      meterValueFor(sample(at, 1000 + i * 1840), {
        measurands: txEnded,
        context: 'Sample.Periodic',
        signReadings: true,
      })!,
    );
  }
  collected.push(
    meterValueFor(sample('2025-01-01T11:00:00Z', 12_040), {
      measurands: txEnded,
      context: 'Transaction.End',
      signReadings: true,
    })!,
  );
  assert.equal(collected.length, 7);
  assert.ok(
    collected.every((mv) => mv.sampledValue.length === 4),
    'energy + three phase currents, no power or voltage',
  );

  const full = JSON.stringify(collected).length;
  const thinned = fitMeterValues(collected, Math.floor(full * 0.6));
  assert.deepEqual(
    thinned.map((mv) => mv.sampledValue[0].context),
    ['Transaction.Begin', 'Sample.Periodic', 'Sample.Periodic', 'Transaction.End'],
  );
  const [first, ...rest] = thinned;
  const ended = {
    eventType: 'Ended',
    timestamp: '2025-01-01T11:00:00Z',
    triggerReason: 'EVCommunicationLost',
    seqNo: 3,
    transactionInfo: { transactionId: 'tx-1', stoppedReason: 'EVDisconnected' },
    meterValue: [first!, ...rest],
  };
  assert.equal(validateRequest('TransactionEvent', ended), null);

  // The same data as clock-aligned MeterValuesRequests of at most 8 sampled values each.
  const chunks = splitMeterValues(collected, 8);
  assert.equal(chunks.length, 4);
  for (const chunk of chunks)
    assert.equal(validateRequest('MeterValues', { evseId: 1, meterValue: chunk }), null);
});
