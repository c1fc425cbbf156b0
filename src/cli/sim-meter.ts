/**
 * The simulated meter's readings: every quantity a simple AC meter measures (meter-values'
 * readingFromElectrical) and, for a signing meter (`--signing-meter`), a signedMeterValue on the
 * Energy.Active.Import.Register (J01.FR.21, J02.FR.21). The signing key is the meter's own: an
 * ECDSA P-256 key pair kept in the station database, so its public key stays the same across
 * restarts, as a real meter's would.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { MeterValueType } from '../generated/ocpp-types.js';
import { readingFromElectrical, signedMeterValue } from '../meter-values/index.js';
import type { Database } from '../store/schema.js';
import { getStationState, setStationState } from '../store/station-state.js';

const KEY = 'simMeterSigningKey';

/** One reading's quantities. */
export interface SimMeterSample {
  timestamp: string;
  energyWh: number;
  powerW: number;
}

/**
 * @example
 * const meter = await SimMeter.open(store.db, 'CS-1', true, clock.nowIso());
 * cp.onMeterValue(1, meter.reading({ timestamp: clock.nowIso(), energyWh: 1200, powerW: 11000 }));
 */
export class SimMeter {
  private constructor(private readonly key: { privateKey: KeyObject; publicKeyPem: string } | null) {}

  /** A meter; with `signing`, its key pair is read from the database (made and stored the first time). */
  static async open(
    db: Kysely<Database>,
    stationId: string,
    signing: boolean,
    now: string,
  ): Promise<SimMeter> {
    if (!signing) return new SimMeter(null);
    let pem = await getStationState<string>(db, stationId, KEY);
    if (pem === undefined) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await setStationState(db, stationId, KEY, pem, now);
    }
    const privateKey = createPrivateKey(pem);
    const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    return new SimMeter({ privateKey, publicKeyPem });
  }

  /** Does this meter sign? */
  get signing(): boolean {
    return this.key !== null;
  }

  /** A full 3-phase reading at 230 V / 50 Hz; signed when the meter signs. */
  reading(sample: SimMeterSample): MeterValueType {
    const reading = readingFromElectrical({
      timestamp: sample.timestamp,
      energyWh: sample.energyWh,
      powerW: sample.powerW,
      currentA: Math.round((sample.powerW / (3 * 230)) * 1000) / 1000,
      voltageV: 230,
      frequencyHz: 50,
      phases: 3,
    });
    const key = this.key;
    if (!key) return reading;
    const sampledValue = reading.sampledValue.map((value) => {
      if ((value.measurand ?? 'Energy.Active.Import.Register') !== 'Energy.Active.Import.Register')
        return value;
      return {
        ...value,
        signedMeterValue: signedMeterValue({
          meterValue: {
            timestamp: reading.timestamp,
            value: value.value,
            ...(value.unitOfMeasure?.unit ? { unit: value.unitOfMeasure.unit } : {}),
          },
          sign: (data) => sign('sha256', data, key.privateKey),
          includePublicKey: true,
          publicKeyPem: key.publicKeyPem,
        }),
      };
    }) as MeterValueType['sampledValue'];
    return { ...reading, sampledValue };
  }
}
