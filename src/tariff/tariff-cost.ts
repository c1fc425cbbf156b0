/**
 * Tariff and cost (I01–I06) and the California pricing extension: turns what the CSMS says
 * (AuthorizeResponse, TransactionEventResponse, CostUpdatedRequest) and what the station knows
 * (offline, fallback messages) into texts for the host's screen, through `tariffMessageCallback` and
 * `setRunningCostCallback`, and keeps the latest for the simulator's screen (CLI `display`).
 */
import type { ChargePointCallbacks } from '../callbacks.js';
import type {
  CostUpdatedRequest,
  CostUpdatedResponse,
  CustomDataType,
  IdTokenInfoType,
  IdTokenType,
  MessageContentType,
  TransactionEventRequest,
  TransactionEventResponse,
} from '../generated/ocpp-types.js';
import type { DeviceModelPort } from '../runtime/ports.js';
import { readTariffCostSettings, type TariffCostSettings } from '../display/display-settings.js';
import { driverLanguage, preferLanguage } from '../display/driver-language.js';
import { parseTriggers, type MeterValueTriggers } from './pricing-triggers.js';
import type { RunningCost, TariffCostScreen, TariffMessage } from './tariff-types.js';
import { LazyMap, LazySet } from '../lazy-collections.js';

export interface TariffCostOptions {
  deviceModel: DeviceModelPort;
  callbacks: ChargePointCallbacks;
  /** Is this transaction open on the station (CostUpdated for another is not shown)? */
  transactionKnown(transactionId: string): boolean;
  /** California pricing: a CostUpdatedRequest set meter-value triggers for its transaction. */
  meterValueTriggers?(transactionId: string, triggers: MeterValueTriggers): void;
  /** Is the station connected to the CSMS now (OfflineTariffFallbackMessage)? Online when absent. */
  online?(): boolean;
}

/**
 * @example
 * const tariffCost = new TariffCost({ deviceModel, callbacks, transactionKnown });
 * tariffCost.authorized(idToken, { status: 'Accepted', personalMessage: { format: 'UTF8', content: '0.30 EUR/kWh' } }, true);
 * tariffCost.screen().tariff?.message[0]?.content; // '0.30 EUR/kWh'
 */
export class TariffCost {
  private current: TariffCostScreen = {};
  /** Transactions whose Ended event occurred offline: their late final cost is not shown (I03.FR.03). */
  private readonly endedOffline = new LazySet<string>();
  /** C01.FR.08–13: the driver's language by idToken (from its idTokenInfo), then by transaction. */
  private readonly tokenLanguages = new BoundedMap<string, string>(LANGUAGES_KEPT);
  private readonly transactionLanguages = new BoundedMap<string, string>(LANGUAGES_KEPT);

  constructor(private readonly options: TariffCostOptions) {}

  /** What the screen shows of tariff and cost now. */
  screen(): TariffCostScreen {
    return { ...this.current };
  }

  private settings(): TariffCostSettings {
    return readTariffCostSettings(this.options.deviceModel);
  }

  /**
   * I01 / I04: a token was authorized. `fromCsms`: the verdict is the CSMS's answer (AuthorizeResponse),
   * whose personalMessage is the driver's tariff (I01.FR.03); otherwise (cache, list, offline) or
   * without one, the TariffFallbackMessage is shown (I04.FR.01).
   */
  authorized(idToken: IdTokenType, info: IdTokenInfoType, fromCsms: boolean): void {
    const settings = this.settings();
    if (info.status !== 'Accepted') return;
    // C01.FR.08–13: whatever the source (CSMS, cache, list), the token's info names its languages.
    this.tokenLanguages.delete(idToken.idToken);
    const language = this.tokenLanguage(idToken, info, settings);
    if (!settings.tariff) return;
    const personal = fromCsms ? info.personalMessage : undefined;
    if (personal) {
      this.tariff(
        {
          kind: 'tariff',
          message: this.languages(personal, info.customData, 'personalMessageExtra', settings),
          idToken,
        },
        language,
      );
      return;
    }
    // California pricing (libocpp's TariffCostCtrlr variables): offline, OfflineTariffFallbackMessage
    // replaces the online text when configured; each language the screen supports has its own instance.
    const offline = this.options.online?.() === false;
    const offlineTexts = offline
      ? fallbackTexts(this.options.deviceModel, 'OfflineTariffFallbackMessage', settings)
      : [];
    const texts =
      offlineTexts.length > 0
        ? offlineTexts
        : fallbackTexts(this.options.deviceModel, 'TariffFallbackMessage', settings);
    if (texts.length > 0) this.tariff({ kind: 'tariffFallback', message: texts, idToken }, language);
  }

  /** A TransactionEventRequest was queued: an Ended one while offline shows the TotalCostFallbackMessage (I05.FR.02). */
  transactionEvent(request: TransactionEventRequest): void {
    const transactionId = request.transactionInfo.transactionId;
    const tokenLanguage =
      request.idToken === undefined ? undefined : this.tokenLanguages.get(request.idToken.idToken);
    if (tokenLanguage !== undefined) this.transactionLanguages.set(transactionId, tokenLanguage);
    if (request.eventType !== 'Ended') return;
    const language = this.transactionLanguages.get(transactionId);
    if (request.offline !== true) return;
    this.transactionLanguages.delete(transactionId);
    this.endedOffline.add(transactionId);
    const settings = this.settings();
    const texts = fallbackTexts(this.options.deviceModel, 'TotalCostFallbackMessage', settings);
    if (!settings.cost || texts.length === 0) return;
    const message: TariffMessage = {
      kind: 'totalCostFallback',
      message: preferLanguage(texts, language),
      transactionId,
      ...optional('language', language),
    };
    this.current = { ...this.current, totalCostFallback: message };
    delete this.current.cost;
    this.options.callbacks.tariffMessageCallback?.(message);
  }

  /**
   * The CSMS answered a TransactionEventRequest: updated tariff (I06.FR.03), running cost (I02.FR.04)
   * or final cost (I03.FR.03), with California pricing data when that customization is enabled.
   */
  transactionEventAnswered(
    request: TransactionEventRequest,
    response: TransactionEventResponse,
    txStopPoints: readonly string[],
  ): void {
    const settings = this.settings();
    const transactionId = request.transactionInfo.transactionId;
    const ended = request.eventType === 'Ended';
    const info = response.idTokenInfo;
    if (info !== undefined && request.idToken !== undefined && !ended) {
      // C01.FR.08–13: the CSMS's answer about this event's token names the driver's languages too
      // (a transaction started without an Authorize).
      const answered = this.tokenLanguage(request.idToken, info, settings);
      if (answered !== undefined) this.transactionLanguages.set(transactionId, answered);
    }
    const language = this.transactionLanguages.get(transactionId);
    if (ended) this.transactionLanguages.delete(transactionId);
    if (
      !ended &&
      settings.tariff &&
      info?.status === 'Accepted' &&
      info.personalMessage &&
      !response.updatedPersonalMessage
    ) {
      // I01.FR.03: the CSMS's answer about the token of this event (e.g. one authorized locally, or
      // started without an Authorize) carries the driver's tariff just as an AuthorizeResponse does.
      this.tariff(
        {
          kind: 'tariff',
          message: this.languages(info.personalMessage, info.customData, 'personalMessageExtra', settings),
          ...(request.idToken === undefined ? {} : { idToken: request.idToken }),
          transactionId,
        },
        language,
      );
    }
    const texts =
      settings.tariff && response.updatedPersonalMessage
        ? preferLanguage(
            this.languages(
              response.updatedPersonalMessage,
              response.customData,
              'updatedPersonalMessageExtra',
              settings,
            ),
            language,
          )
        : undefined;
    // I03.FR.03: only when online at the end; I03.FR.05: not when the driver has left (ParkingBayOccupancy).
    const showFinal = !this.endedOffline.has(transactionId) && !txStopPoints.includes('ParkingBayOccupancy');
    if (ended) this.endedOffline.delete(transactionId);
    const costShown = settings.cost && response.totalCost !== undefined && (!ended || showFinal);
    if (texts && !costShown) {
      // libocpp: with cost enabled the text rides along with the cost, else it goes alone.
      this.tariff({ kind: ended ? 'tariff' : 'updatedTariff', message: texts, transactionId }, language);
    }
    if (!costShown || response.totalCost === undefined) return;
    const cost: RunningCost = {
      transactionId,
      cost: response.totalCost,
      state: ended ? 'Finished' : 'Charging',
      timestamp: request.timestamp,
      ...optional('meterValueWh', energyRegister(request)),
      ...optional('costMessages', texts),
      ...this.california(response.customData, settings),
    };
    if (texts) {
      const tariff: TariffMessage = {
        kind: 'updatedTariff',
        message: texts,
        transactionId,
        ...optional('language', language),
      };
      this.current = { ...this.current, tariff };
    }
    this.cost(cost, settings);
  }

  /** I02: CostUpdated; always answered (I02.FR.02), shown when Cost is enabled and the transaction is known. */
  costUpdated(request: CostUpdatedRequest): CostUpdatedResponse {
    const settings = this.settings();
    if (!settings.cost || !this.options.transactionKnown(request.transactionId)) return {};
    this.cost(
      {
        transactionId: request.transactionId,
        cost: request.totalCost,
        state: 'Charging',
        ...this.california(request.customData, settings),
      },
      settings,
    );
    if (settings.californiaPricing) {
      const triggers = parseTriggers(
        (request.customData as unknown as Record<string, unknown> | undefined)?.['triggerMeterValue'],
      );
      if (triggers) this.options.meterValueTriggers?.(request.transactionId, triggers);
    }
    return {};
  }

  /** Records and returns the driver's language of an accepted token (C01.FR.08–13). */
  private tokenLanguage(
    idToken: IdTokenType,
    info: IdTokenInfoType,
    settings: TariffCostSettings,
  ): string | undefined {
    if (info.status !== 'Accepted') return undefined;
    const language = driverLanguage(info, settings.languages);
    if (language !== undefined) this.tokenLanguages.set(idToken.idToken, language);
    return language;
  }

  /** Shows a tariff text: in the driver's language first when one is known (C01.FR.08–13). */
  private tariff(text: TariffMessage, language?: string): void {
    const message: TariffMessage =
      language === undefined ? text : { ...text, message: preferLanguage(text.message, language), language };
    this.current = { ...this.current, tariff: message };
    this.options.callbacks.tariffMessageCallback?.(message);
  }

  private cost(cost: RunningCost, settings: TariffCostSettings): void {
    this.current = { ...this.current, cost, numberOfDecimals: settings.numberOfDecimals };
    if (settings.currency === undefined) delete this.current.currency;
    else this.current.currency = settings.currency;
    delete this.current.totalCostFallback;
    this.options.callbacks.setRunningCostCallback?.(cost, settings.numberOfDecimals, settings.currency);
  }

  /** The CSMS's text first, then (multi-language customization) the extra languages the screen supports. */
  private languages(
    first: MessageContentType,
    customData: CustomDataType | undefined,
    field: string,
    settings: TariffCostSettings,
  ): MessageContentType[] {
    const texts = [first];
    const extra = (customData as unknown as Record<string, unknown> | undefined)?.[field];
    if (!settings.multiLanguage || !Array.isArray(extra)) return texts;
    for (const item of extra as unknown[]) {
      if (!isMessageContent(item) || item.language === undefined) continue;
      if (settings.languages.length > 0 && !settings.languages.includes(item.language)) continue;
      texts.push(item);
    }
    return texts;
  }

  /** California pricing: the vendor data and the QR code text, when the customization is enabled. */
  private california(
    customData: CustomDataType | undefined,
    settings: TariffCostSettings,
  ): Pick<RunningCost, 'californiaPricing' | 'qrCodeText'> {
    if (!settings.californiaPricing || customData === undefined) return {};
    const { vendorId: _vendorId, ...data } = customData as unknown as Record<string, unknown>;
    const qr = data['qrCodeText'];
    return {
      californiaPricing: data,
      ...(settings.qrCodeDisplayCapable && typeof qr === 'string' ? { qrCodeText: qr } : {}),
    };
  }
}

/**
 * A fallback text of TariffCostCtrlr (`variable` without instance, I04/I05), then, with the
 * multi-language or California pricing customization, the same variable per language the screen
 * supports (libocpp: `TariffFallbackMessage[<language>]`, one instance per supported language). A
 * language of DisplayMessageCtrlr.Language's valuesList matches an instance as written, with `-`
 * for `_`, or by its primary subtag (`en_US` finds `en-US` or `en`).
 */
function fallbackTexts(
  dm: DeviceModelPort,
  variable: string,
  settings: TariffCostSettings,
): MessageContentType[] {
  const texts: MessageContentType[] = [];
  const base = dm.get({ component: 'TariffCostCtrlr', variable });
  if (base) texts.push({ format: 'UTF8', content: base });
  if (!settings.multiLanguage && !settings.californiaPricing) return texts;
  for (const language of settings.languages) {
    const candidates = new Set([language, language.replace(/_/g, '-'), language.split(/[-_]/)[0]!]);
    for (const variableInstance of candidates) {
      const content = dm.get({ component: 'TariffCostCtrlr', variable, variableInstance });
      if (!content) continue;
      texts.push({ format: 'UTF8', language, content });
      break;
    }
  }
  return texts;
}

function isMessageContent(value: unknown): value is MessageContentType {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['content'] === 'string' && typeof v['format'] === 'string';
}

/** Tokens and transactions whose language is kept: a station has a few EVSEs, not hundreds. */
const LANGUAGES_KEPT = 64;

/** A Map that forgets its oldest entry past `limit` (a token seen once must not be kept forever); lazy: empty while a fleet station idles (issue 9). */
class BoundedMap<K, V> extends LazyMap<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    this.delete(key);
    super.set(key, value);
    if (this.size > this.limit) this.delete(this.keys().next().value as K);
    return this;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The highest Energy.Active.Import.Register without phase in the request's meter values (libocpp). */
function energyRegister(request: TransactionEventRequest): number | undefined {
  let max: number | undefined;
  for (const meterValue of request.meterValue ?? []) {
    for (const sample of meterValue.sampledValue) {
      const measurand = sample.measurand ?? 'Energy.Active.Import.Register';
      if (measurand !== 'Energy.Active.Import.Register' || sample.phase !== undefined) continue;
      const wh = sample.unitOfMeasure?.multiplier
        ? sample.value * 10 ** sample.unitOfMeasure.multiplier
        : sample.value;
      if (max === undefined || wh > max) max = wh;
    }
  }
  return max;
}
