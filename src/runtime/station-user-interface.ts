/**
 * The running station's user interface (O display messages, I tariff and cost): built from the
 * station's parts, told of authorizations and transaction events by the runtime.
 */
import type { AuthorizationVerdict } from '../authorization/authorize-token.js';
import type { ChargePointCallbacks } from '../callbacks.js';
import type { StationClock } from '../clock.js';
import { DisplayMessages } from '../display/display-messages.js';
import type {
  ConnectorStatusEnumType,
  IdTokenType,
  MessageInfoType,
  MessageStateEnumType,
  MeterValueType,
  TransactionEventRequest,
  TransactionEventResponse,
} from '../generated/ocpp-types.js';
import type { EvseStructure } from '../handlers/handler-context.js';
import { DisplayMessageStore } from '../store/display-messages.js';
import type { StationDatabase } from '../store/database.js';
import { TariffCost } from '../tariff/tariff-cost.js';
import type { TariffCostScreen } from '../tariff/tariff-types.js';
import { PricingTriggers } from '../tariff/pricing-triggers.js';
import type { MessageQueue } from '../queue/message-queue.js';
import type { StationMeters } from '../transactions/station-meters.js';
import type { TransactionContext } from '../../machines/transaction-rules.js';
import type { DeviceModelPort } from './ports.js';
import type { TimerScheduler } from './timers.js';

export interface StationUserInterfaceOptions {
  stationId: string;
  evses: readonly EvseStructure[];
  store: StationDatabase;
  deviceModel: DeviceModelPort;
  clock: StationClock;
  callbacks: ChargePointCallbacks;
  timers: TimerScheduler;
  openSessions(): TransactionContext[];
  connectorStatus(evseId: number, connectorId: number): ConnectorStatusEnumType | undefined;
  meters: StationMeters;
  queue: Pick<MessageQueue, 'send'>;
  reportError(error: unknown): void;
  /** Connected to the CSMS now (the offline tariff text, California pricing); online when absent. */
  online?(): boolean;
}

/** What the simulated screen shows now: the display messages in order, and the tariff and cost texts. */
export interface ScreenContent {
  messages: MessageInfoType[];
  tariffCost: TariffCostScreen;
}

/**
 * @example
 * const ui = new StationUserInterface({ stationId, evses, store, deviceModel, clock, callbacks, timers, openSessions, connectorStatus, reportError });
 * await ui.start();
 * ui.screen().messages; // what the screen shows now
 */
export class StationUserInterface {
  readonly display: DisplayMessages;
  readonly tariffCost: TariffCost;
  /** California pricing meter-value triggers (src/tariff/pricing-triggers.ts). */
  readonly pricingTriggers: PricingTriggers;
  private unsubscribe: (() => void) | null = null;
  /**
   * What the methods use, copied: the caller's options object starts with a spread of the
   * runtime's options, and on Node 20 (V8 11.3) such an object has a hidden class of its own,
   * ~480 bytes per station if kept (issue 9, docs/fleet/idle-memory.md).
   */
  private readonly options: Pick<
    StationUserInterfaceOptions,
    'meters' | 'reportError' | 'deviceModel' | 'openSessions' | 'connectorStatus' | 'evses'
  >;

  constructor(options: StationUserInterfaceOptions) {
    // Closures below capture these locals, never `options` (which would keep it alive).
    const { meters, reportError, deviceModel, openSessions, connectorStatus, evses } = options;
    const { store, stationId, callbacks, clock, timers, queue, online } = options;
    this.options = { meters, reportError, deviceModel, openSessions, connectorStatus, evses };
    const transactionKnown = (transactionId: string) =>
      openSessions().some((s) => s.transactionId === transactionId && s.started && !s.ended);
    this.display = new DisplayMessages({
      store: new DisplayMessageStore(store.db, stationId),
      deviceModel,
      callbacks,
      clock,
      timers,
      transactionKnown,
      stationStates: () => this.states(),
      reportError,
    });
    this.pricingTriggers = new PricingTriggers({
      timers,
      nowMs: () => clock.nowMs(),
      energyWh: (evseId) => meters.energyWh(evseId),
      powerW: (evseId) => activePowerW(meters.reading(evseId)),
      reading: (evseId) => meters.alignedReading(evseId, 'Other'),
      send: (request) => queue.send('MeterValues', request),
      reportError,
    });
    this.tariffCost = new TariffCost({
      deviceModel,
      callbacks,
      transactionKnown,
      ...(online ? { online } : {}),
      meterValueTriggers: (transactionId, triggers) => {
        const session = openSessions().find((s) => s.transactionId === transactionId);
        if (session) this.pricingTriggers.set(session.evseId, transactionId, triggers);
      },
    });
  }

  async start(): Promise<void> {
    await this.display.load();
    this.unsubscribe = this.options.meters.onReading((evseId) => this.pricingTriggers.reading(evseId));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.pricingTriggers.stop();
    this.display.stop();
  }

  /** What the screen shows now. */
  screen(): ScreenContent {
    return { messages: this.display.shown(), tariffCost: this.tariffCost.screen() };
  }

  /**
   * `callbacks` with the transaction callbacks also telling this user interface of every
   * TransactionEvent and its answer (before the host hears of them).
   */
  hearTransactions(callbacks: ChargePointCallbacks): ChargePointCallbacks {
    return {
      ...callbacks,
      transactionEventCallback: (request) => {
        this.transactionEvent(request);
        callbacks.transactionEventCallback?.(request);
      },
      transactionEventResponseCallback: (request, response) => {
        this.transactionEventAnswered(request, response);
        callbacks.transactionEventResponseCallback?.(request, response);
      },
    };
  }

  /** I01/I04: a token's verdict. */
  authorized(idToken: IdTokenType, verdict: AuthorizationVerdict): void {
    this.guard(() => this.tariffCost.authorized(idToken, verdict.idTokenInfo, verdict.source === 'csms'));
  }

  /** A TransactionEventRequest was queued (I05; O02.FR.02 when it ends the transaction). */
  transactionEvent(request: TransactionEventRequest): void {
    this.guard(() => this.tariffCost.transactionEvent(request));
    if (request.eventType === 'Ended') {
      this.pricingTriggers.transactionEnded(request.transactionInfo.transactionId);
      this.display
        .transactionEnded(request.transactionInfo.transactionId)
        .catch((e: unknown) => this.options.reportError(e));
    }
  }

  /** The CSMS answered a TransactionEventRequest (I02, I03, I06). */
  transactionEventAnswered(request: TransactionEventRequest, response: TransactionEventResponse): void {
    const stopPoints = (
      this.options.deviceModel.get({ component: 'TxCtrlr', variable: 'TxStopPoint' }) ?? ''
    ).split(',');
    this.guard(() =>
      this.tariffCost.transactionEventAnswered(
        request,
        response,
        stopPoints.map((s) => s.trim()),
      ),
    );
  }

  /** A failure of the screen (a bad device-model value) is reported; it never breaks authorization or transactions. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.options.reportError(error);
    }
  }

  /**
   * The MessageStateEnumType states the station is in: Charging (a transaction charges), Idle (no
   * transaction), Faulted / Unavailable (a connector is).
   */
  states(): Set<MessageStateEnumType> {
    const states = new Set<MessageStateEnumType>();
    const open = this.options.openSessions().filter((s) => s.started && !s.ended);
    if (open.some((s) => s.chargingState === 'Charging')) states.add('Charging');
    if (open.length === 0) states.add('Idle');
    for (const evse of this.options.evses) {
      for (const connector of evse.connectors) {
        const status = this.options.connectorStatus(evse.id, connector.id);
        if (status === 'Faulted') states.add('Faulted');
        if (status === 'Unavailable') states.add('Unavailable');
      }
    }
    return states;
  }
}

/** Power.Active.Import (total, no phase) of a reading, in W. */
function activePowerW(reading: MeterValueType | undefined): number | undefined {
  const sample = reading?.sampledValue.find(
    (v) => v.measurand === 'Power.Active.Import' && v.phase === undefined,
  );
  if (!sample) return undefined;
  const kilo = sample.unitOfMeasure?.unit === 'kW' ? 1000 : 1;
  return sample.value * 10 ** (sample.unitOfMeasure?.multiplier ?? 0) * kilo;
}
