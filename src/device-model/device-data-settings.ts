/**
 * The DeviceDataCtrlr variables that bound device model messages: ItemsPerMessage/BytesPerMessage
 * per request kind, and the value sizes (Part 2 §2.1.16–2.1.23). Read live from the model, so a
 * changed configuration applies at once.
 */
import type { MessageLimits, LimitedRequest } from './message-limits.js';
import type { ModelIndex } from './model-index.js';

/** OCPP 2.0.1 limits: SetVariableData.attributeValue string[0..1000], reported values string[0..2500]. */
const MAX_SET_VALUE = 1000;
const MAX_REPORTED_VALUE = 2500;

/** Bound reads of the DeviceDataCtrlr limits of one model. */
export interface DeviceDataSettings {
  /** ItemsPerMessage/BytesPerMessage with the request's instance; unset or non-positive ones are absent. */
  limits(request: LimitedRequest): MessageLimits;
  /** ConfigurationValueSize and ValueSize limit SetVariableData.attributeValue (§2.1.20); undefined when neither is set. */
  maxSetValueLength(): number | undefined;
  /** ReportingValueSize and ValueSize limit reported values (§2.1.21), never above 2500. */
  maxReportedLength(): number;
}

/**
 * Reads the DeviceDataCtrlr limits of `index` (Actual values of positive integers).
 *
 * @example
 * deviceDataSettings(index).limits('GetVariables'); // { itemsPerMessage: 100, bytesPerMessage: 2048 }
 */
export function deviceDataSettings(index: ModelIndex): DeviceDataSettings {
  return new ModelDeviceDataSettings(index);
}

/** The values that are set (positive integers), in order. */
function present(values: Array<number | undefined>): number[] {
  return values.filter((n) => n !== undefined);
}

/**
 * A class, not an object of closures: its methods are on the prototype, shared by every station,
 * so a station keeps one small object (issue 9: the closures and their context were ~400 B each).
 */
class ModelDeviceDataSettings implements DeviceDataSettings {
  constructor(private readonly index: ModelIndex) {}

  limits(request: LimitedRequest): MessageLimits {
    const limits: MessageLimits = {};
    const items = this.setting('ItemsPerMessage', request);
    const bytes = this.setting('BytesPerMessage', request);
    if (items !== undefined) limits.itemsPerMessage = items;
    if (bytes !== undefined) limits.bytesPerMessage = bytes;
    return limits;
  }

  maxSetValueLength(): number | undefined {
    const limits = present([this.setting('ConfigurationValueSize'), this.setting('ValueSize')]);
    return limits.length === 0 ? undefined : Math.min(MAX_SET_VALUE, ...limits);
  }

  maxReportedLength(): number {
    return Math.min(
      MAX_REPORTED_VALUE,
      ...present([this.setting('ReportingValueSize'), this.setting('ValueSize')]),
    );
  }

  /** A DeviceDataCtrlr variable's Actual value as a positive integer, or undefined. */
  private setting(variable: string, instance?: string): number | undefined {
    const found = this.index.resolve({
      component: 'DeviceDataCtrlr',
      variable,
      ...(instance === undefined ? {} : { variableInstance: instance }),
    });
    const value = found.status === 'Found' ? this.index.value(found.attribute) : undefined;
    const number = value === undefined || value === '' ? NaN : Number(value);
    return Number.isInteger(number) && number > 0 ? number : undefined;
  }
}
