/**
 * The meters of a running station as OCPP reports them: the host's latest reading per EVSE (and of
 * the main meter, EVSE 0: libocpp on_meter_value), filtered to the configured measurands with the
 * right context for each message (J01–J03, E01.FR.09, E06.FR.11), and the values a transaction
 * records for its Ended message (SampledDataTxEndedMeasurands every TxEndedInterval,
 * AlignedDataTxEndedMeasurands on the aligned grid, Transaction.Begin and Transaction.End), kept in
 * memory and stored through the station's persistence so they survive a power loss.
 */
import type { TxEventParams } from '../../machines/transaction-rules.js';
import type {
  MeasurandEnumType,
  MeterValueType,
  ReadingContextEnumType,
  SampledValueType,
} from '../generated/ocpp-types.js';
import { fitMeterValues, includePublicKey, meterValueFor, parseMeasurandList } from '../meter-values/index.js';
import type { PublicKeyWithSignedMeterValue } from '../meter-values/index.js';
import type { DeviceModelPort, VariableRef } from '../runtime/ports.js';
import { LazyMap, LazySet } from '../lazy-collections.js';

const sampled = (variable: string): VariableRef => ({ component: 'SampledDataCtrlr', variable });
const aligned = (variable: string): VariableRef => ({ component: 'AlignedDataCtrlr', variable });

/** Variables that say what is measured and reported. */
export const METER_VARIABLES = {
  txStartedMeasurands: sampled('TxStartedMeasurands'),
  txUpdatedMeasurands: sampled('TxUpdatedMeasurands'),
  txEndedMeasurands: sampled('TxEndedMeasurands'),
  sampledSignReadings: sampled('SignReadings'),
  alignedMeasurands: aligned('Measurands'),
  alignedTxEndedMeasurands: aligned('TxEndedMeasurands'),
  alignedSignReadings: aligned('SignReadings'),
  publicKeyWithSignedMeterValue: { component: 'OCPPCommCtrlr', variable: 'PublicKeyWithSignedMeterValue' },
  maxMessageSize: { component: 'InternalCtrlr', variable: 'MaxMessageSize' },
} satisfies Record<string, VariableRef>;

/** Largest Ended message when InternalCtrlr.MaxMessageSize does not say (bytes of meterValue JSON). */
export const DEFAULT_MAX_ENDED_METER_BYTES = 60_000;

/** Where recorded meter values go (the station's persistence). */
export interface MeterValueStore {
  insert(transactionId: string, meterValue: MeterValueType): void;
  deleteAll(transactionId: string): void;
}

/**
 * @example
 * const meters = new StationMeters(deviceModel, store, (e) => console.error(e));
 * meters.onMeterValue(1, reading);
 * meters.forTransactionEvent(params); // the meterValue of a TransactionEventRequest
 */
export class StationMeters {
  private readonly readings = new LazyMap<number, MeterValueType>();
  private readonly recorded = new LazyMap<string, MeterValueType[]>();
  /** Transactions that have sent the meter's public key (OncePerTransaction). */
  private readonly keySent = new LazySet<string>();
  private readonly listeners = new Set<(evseId: number) => void>();
  /** Parsed measurand lists by their text. */
  private readonly parsed = new LazyMap<string, MeasurandEnumType[]>();

  constructor(
    private readonly dm: DeviceModelPort,
    private readonly store: MeterValueStore,
    private readonly reportError: (error: unknown) => void,
  ) {}

  /** The host's newest reading of an EVSE (0: the main meter). */
  onMeterValue(evseId: number, reading: MeterValueType): void {
    this.readings.set(evseId, reading);
    for (const listener of this.listeners) listener(evseId);
  }

  /** Called after every new reading (the runtime forwards the energy register to the session). */
  onReading(listener: (evseId: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The newest reading of an EVSE. */
  reading(evseId: number): MeterValueType | undefined {
    return this.readings.get(evseId);
  }

  /** Energy.Active.Import.Register of the newest reading, in Wh; undefined when not known. */
  energyWh(evseId: number): number | undefined {
    const reading = this.readings.get(evseId);
    if (!reading) return undefined;
    const register = reading.sampledValue.find(
      (v) => (v.measurand ?? 'Energy.Active.Import.Register') === 'Energy.Active.Import.Register' && v.phase === undefined,
    );
    if (!register) return undefined;
    const multiplier = register.unitOfMeasure?.multiplier ?? 0;
    const unit = register.unitOfMeasure?.unit ?? 'Wh';
    const wh = register.value * 10 ** multiplier * (unit === 'kWh' ? 1000 : 1);
    return Number.isFinite(wh) ? wh : undefined;
  }

  /** Does the newest reading carry a signed meter value (the DataSigned start point, E01.FR.04)? */
  hasSignedReading(evseId: number): boolean {
    return this.readings.get(evseId)?.sampledValue.some((v) => v.signedMeterValue !== undefined) ?? false;
  }

  /**
   * The meterValue of a TransactionEventRequest: Transaction.Begin (TxStartedMeasurands), periodic
   * (TxUpdatedMeasurands), clock-aligned (AlignedDataMeasurands), Trigger (TxUpdatedMeasurands,
   * F06.FR.07), or at the end everything recorded plus Transaction.End (E06.FR.11, J02). The Begin
   * reading is also recorded for the Ended message. Undefined when nothing is configured or known.
   */
  forTransactionEvent(params: TxEventParams): MeterValueType[] | undefined {
    const values: MeterValueType[] = [];
    const { evseId, transactionId, timestamp } = params;
    const sampledSign = this.dm.getBoolean(METER_VARIABLES.sampledSignReadings) === true;
    for (const kind of params.meter) {
      switch (kind) {
        case 'begin': {
          const begin = this.take(evseId, METER_VARIABLES.txStartedMeasurands, 'Transaction.Begin', sampledSign, timestamp);
          if (begin) values.push(this.publicKey(transactionId, begin));
          this.record(transactionId, evseId, METER_VARIABLES.txEndedMeasurands, 'Transaction.Begin', sampledSign, timestamp);
          break;
        }
        case 'periodic':
          this.push(values, transactionId, this.take(evseId, METER_VARIABLES.txUpdatedMeasurands, 'Sample.Periodic', sampledSign, timestamp));
          break;
        case 'trigger':
          this.push(values, transactionId, this.take(evseId, METER_VARIABLES.txUpdatedMeasurands, 'Trigger', sampledSign, timestamp));
          break;
        case 'clock':
          this.push(
            values,
            transactionId,
            this.take(
              evseId,
              METER_VARIABLES.alignedMeasurands,
              'Sample.Clock',
              this.dm.getBoolean(METER_VARIABLES.alignedSignReadings) === true,
              timestamp,
            ),
          );
          break;
        case 'end': {
          const recorded = [...(this.recorded.get(transactionId) ?? [])];
          const last = this.take(evseId, METER_VARIABLES.txEndedMeasurands, 'Transaction.End', sampledSign, timestamp);
          if (last) recorded.push(last);
          // E06.FR.12/13, J02.FR.20: too much for one message: intermediate values go first.
          values.push(...fitMeterValues(recorded, this.maxEndedBytes()).map((v) => this.publicKey(transactionId, v)));
          break;
        }
      }
    }
    return values.length > 0 ? values : undefined;
  }

  /** A TxEndedInterval (periodic) or AlignedDataTxEndedInterval (clock) sample for the Ended message. */
  recordSample(transactionId: string, evseId: number, sample: 'periodic' | 'clock', at: string): void {
    if (sample === 'periodic') {
      const sign = this.dm.getBoolean(METER_VARIABLES.sampledSignReadings) === true;
      this.record(transactionId, evseId, METER_VARIABLES.txEndedMeasurands, 'Sample.Periodic', sign, at);
    } else {
      const sign = this.dm.getBoolean(METER_VARIABLES.alignedSignReadings) === true;
      this.record(transactionId, evseId, METER_VARIABLES.alignedTxEndedMeasurands, 'Sample.Clock', sign, at);
    }
  }

  /** The transaction ended (its Ended message is built): its recorded values are dropped. */
  finish(transactionId: string): void {
    this.recorded.delete(transactionId);
    this.keySent.delete(transactionId);
    this.store.deleteAll(transactionId);
  }

  /** Values recorded by an earlier run (restored transactions). */
  restore(transactionId: string, values: MeterValueType[]): void {
    this.recorded.set(transactionId, values);
  }

  /**
   * A reading for a MeterValuesRequest (J01 clock-aligned with context Sample.Clock, F06 Trigger):
   * AlignedDataMeasurands of the EVSE's newest reading.
   */
  alignedReading(evseId: number, context: ReadingContextEnumType, timestamp?: string): MeterValueType | null {
    const sign = this.dm.getBoolean(METER_VARIABLES.alignedSignReadings) === true;
    const value = this.take(evseId, METER_VARIABLES.alignedMeasurands, context, sign, timestamp);
    return value ?? null;
  }

  private take(
    evseId: number,
    measurandsRef: VariableRef,
    context: ReadingContextEnumType,
    signReadings: boolean,
    timestamp: string | undefined,
  ): MeterValueType | undefined {
    const reading = this.readings.get(evseId);
    if (!reading) return undefined;
    const measurands = this.measurands(measurandsRef);
    if (measurands.length === 0) return undefined;
    try {
      return (
        meterValueFor(reading, { measurands, context, signReadings, ...(timestamp ? { timestamp } : {}) }) ?? undefined
      );
    } catch (error) {
      this.reportError(error);
      return undefined;
    }
  }

  private record(
    transactionId: string,
    evseId: number,
    measurandsRef: VariableRef,
    context: ReadingContextEnumType,
    sign: boolean,
    at: string,
  ): void {
    const value = this.take(evseId, measurandsRef, context, sign, at);
    if (!value) return;
    const list = this.recorded.get(transactionId) ?? [];
    list.push(value);
    this.recorded.set(transactionId, list);
    this.store.insert(transactionId, value);
  }

  private push(values: MeterValueType[], transactionId: string, value: MeterValueType | undefined): void {
    if (value) values.push(this.publicKey(transactionId, value));
  }

  /** OCPPCommCtrlr.PublicKeyWithSignedMeterValue: the key goes once, always, or never ("" then). */
  private publicKey(transactionId: string, value: MeterValueType): MeterValueType {
    if (!value.sampledValue.some((v) => v.signedMeterValue)) return value;
    const setting = this.dm.get(METER_VARIABLES.publicKeyWithSignedMeterValue) as PublicKeyWithSignedMeterValue | undefined;
    let include: boolean;
    try {
      include = includePublicKey(setting, this.keySent.has(transactionId));
    } catch {
      include = false;
    }
    if (include) this.keySent.add(transactionId);
    if (include) return value;
    const sampledValue = value.sampledValue.map((v): SampledValueType =>
      v.signedMeterValue ? { ...v, signedMeterValue: { ...v.signedMeterValue, publicKey: '' } } : v,
    ) as MeterValueType['sampledValue'];
    return { ...value, sampledValue };
  }

  private measurands(ref: VariableRef): MeasurandEnumType[] {
    const value = this.dm.get(ref) ?? '';
    const cached = this.parsed.get(value);
    if (cached) return cached;
    let list: MeasurandEnumType[];
    try {
      list = parseMeasurandList(value);
    } catch (error) {
      this.reportError(error);
      list = [];
    }
    // The lists change rarely (SetVariables); parsing them for every message is not needed.
    if (this.parsed.size > 64) this.parsed.clear();
    this.parsed.set(value, list);
    return list;
  }

  private maxEndedBytes(): number {
    const max = this.dm.getInteger(METER_VARIABLES.maxMessageSize);
    return max !== undefined && max > 1000 ? max - 1000 : DEFAULT_MAX_ENDED_METER_BYTES;
  }
}
