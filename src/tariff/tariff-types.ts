/**
 * What the library hands the host for tariff and cost texts (I01–I06, California pricing), in the
 * shape of libocpp's `RunningCost` and `TariffMessage` (docs/callbacks.md, "Helper types"), camelCase.
 */
import type { IdTokenType, MessageContentType } from '../generated/ocpp-types.js';

/** Where a tariff text came from. */
export type TariffMessageKind =
  /** I01: the personalMessage of an AuthorizeResponse (or of a TransactionEventResponse's idTokenInfo). */
  | 'tariff'
  /** I06: updatedPersonalMessage of a TransactionEventResponse during the transaction. */
  | 'updatedTariff'
  /** I04: TariffCostCtrlr.TariffFallbackMessage (no driver-specific tariff, e.g. offline). */
  | 'tariffFallback'
  /** I05: TariffCostCtrlr.TotalCostFallbackMessage (the transaction ended offline). */
  | 'totalCostFallback';

/** A tariff (or fallback) text to show, in every language the station can show it in. */
export interface TariffMessage {
  kind: TariffMessageKind;
  /** The first is the CSMS's own language choice; more follow with the multi-language customization. */
  message: MessageContentType[];
  /** The token it is for (I01, I04). */
  idToken?: IdTokenType;
  /** The transaction it is for (I05, I06). */
  transactionId?: string;
  /**
   * C01.FR.08–13: the driver's language (idTokenInfo.language1, else language2, else English, as
   * far as DisplayMessageCtrlr.Language lists them); the texts in it come first in `message`.
   */
  language?: string;
}

/** libocpp RunningCostState. */
export type RunningCostState = 'Charging' | 'Idle' | 'Finished';

/** A cost to show (I02 running, I03 final). */
export interface RunningCost {
  transactionId: string;
  /** In TariffCostCtrlr.Currency, as the CSMS sent it (the host rounds to `numberOfDecimals`). */
  cost: number;
  /** Finished: the final cost of an ended transaction (I03). */
  state: RunningCostState;
  /** The TransactionEvent's time, when the cost came in its response. */
  timestamp?: string;
  /** The highest Energy.Active.Import.Register (Wh) of the TransactionEvent it answers. */
  meterValueWh?: number;
  /** Tariff texts that came with it (updatedPersonalMessage, with the Tariff instance enabled). */
  costMessages?: MessageContentType[];
  /** California pricing: a QR code text (customData.qrCodeText, with DisplayMessageCtrlr.QRCodeDisplayCapable). */
  qrCodeText?: string;
  /**
   * California pricing (CustomImplementationEnabled[org.openchargealliance.costmsg]): the vendor data
   * of the CostUpdatedRequest or TransactionEventResponse (`customData`, e.g. chargingPrice,
   * idlePrice, nextPeriod, triggerMeterValue), as received.
   */
  californiaPricing?: Record<string, unknown>;
}

/** What the simulated screen shows of tariff and cost now (CLI `display`). */
export interface TariffCostScreen {
  tariff?: TariffMessage;
  cost?: RunningCost;
  /** TariffCostCtrlr.Currency and NumberOfDecimalsForCostValues when the cost was shown. */
  currency?: string;
  numberOfDecimals?: number;
  /** I05: the fallback text shown instead of the final cost. */
  totalCostFallback?: TariffMessage;
}
