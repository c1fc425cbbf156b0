/**
 * The device-model variables of the user interface: DisplayMessageCtrlr (O01–O06) and
 * TariffCostCtrlr (I01–I06), read fresh at each use so a SetVariables takes effect at once.
 */
import type { DeviceModelPort, VariableRef } from '../runtime/ports.js';
import type { DisplaySettings } from './display-rules.js';

const display = (variable: string, variableInstance?: string): VariableRef => ({
  component: 'DisplayMessageCtrlr',
  variable,
  ...(variableInstance === undefined ? {} : { variableInstance }),
});
const tariffCost = (variable: string, variableInstance?: string): VariableRef => ({
  component: 'TariffCostCtrlr',
  variable,
  ...(variableInstance === undefined ? {} : { variableInstance }),
});

/** The variables this feature reads. */
export const UI_VARIABLES = {
  displayAvailable: display('Available'),
  displayEnabled: display('Enabled'),
  displayMessages: display('DisplayMessages'),
  supportedFormats: display('SupportedFormats'),
  supportedPriorities: display('SupportedPriorities'),
  supportedStates: display('SupportedStates'),
  personalMessageSize: display('PersonalMessageSize'),
  language: display('Language'),
  qrCodeDisplayCapable: display('QRCodeDisplayCapable'),
  tariffAvailable: tariffCost('Available', 'Tariff'),
  tariffEnabled: tariffCost('Enabled', 'Tariff'),
  costAvailable: tariffCost('Available', 'Cost'),
  costEnabled: tariffCost('Enabled', 'Cost'),
  currency: tariffCost('Currency'),
  numberOfDecimals: tariffCost('NumberOfDecimalsForCostValues'),
  californiaPricing: {
    component: 'CustomizationCtrlr',
    variable: 'CustomImplementationEnabled',
    variableInstance: 'org.openchargealliance.costmsg',
  },
  multiLanguage: {
    component: 'CustomizationCtrlr',
    variable: 'CustomImplementationEnabled',
    variableInstance: 'org.openchargealliance.multilanguage',
  },
} satisfies Record<string, VariableRef>;

/**
 * A comma-separated member list as its members ('' and absent: none).
 *
 * @example
 * memberList('UTF8, ASCII'); // ['UTF8', 'ASCII']
 */
export function memberList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * DisplayMessageCtrlr as the display rules take it.
 *
 * @example
 * readDisplaySettings(deviceModel).priorities; // ['AlwaysFront', 'InFront', 'NormalCycle']
 */
export function readDisplaySettings(dm: DeviceModelPort): DisplaySettings {
  const states = dm.get(UI_VARIABLES.supportedStates);
  return {
    available: dm.getBoolean(UI_VARIABLES.displayAvailable) === true,
    // O: a station without the Enabled variable is enabled when available.
    enabled: dm.getBoolean(UI_VARIABLES.displayEnabled) ?? true,
    formats: memberList(dm.get(UI_VARIABLES.supportedFormats)),
    priorities: memberList(dm.get(UI_VARIABLES.supportedPriorities)),
    // libocpp: a SupportedStates without value supports every state.
    states: states === undefined || states === '' ? undefined : memberList(states),
    maxMessages: dm.maxLimit?.(UI_VARIABLES.displayMessages),
  };
}

/** TariffCostCtrlr and the customizations the tariff and cost texts read. */
export interface TariffCostSettings {
  /** Available[Tariff] and Enabled[Tariff]. */
  tariff: boolean;
  /** Available[Cost] and Enabled[Cost]. */
  cost: boolean;
  currency: string | undefined;
  numberOfDecimals: number;
  californiaPricing: boolean;
  multiLanguage: boolean;
  qrCodeDisplayCapable: boolean;
  /** DisplayMessageCtrlr.Language's valuesList: the languages the screen can show. */
  languages: string[];
  /** DisplayMessageCtrlr.PersonalMessageSize: most characters of a personal message (0: no limit known). */
  personalMessageSize: number | undefined;
}

/**
 * TariffCostCtrlr as the tariff and cost texts take it.
 *
 * @example
 * readTariffCostSettings(deviceModel).currency; // 'EUR'
 */
export function readTariffCostSettings(dm: DeviceModelPort): TariffCostSettings {
  const on = (ref: VariableRef) => dm.getBoolean(ref) === true;
  const decimals = dm.getInteger(UI_VARIABLES.numberOfDecimals);
  return {
    tariff: on(UI_VARIABLES.tariffAvailable) && on(UI_VARIABLES.tariffEnabled),
    cost: on(UI_VARIABLES.costAvailable) && on(UI_VARIABLES.costEnabled),
    currency: dm.get(UI_VARIABLES.currency) || undefined,
    // libocpp's default when the variable is absent or negative.
    numberOfDecimals: decimals === undefined || decimals < 0 ? 3 : decimals,
    californiaPricing: on(UI_VARIABLES.californiaPricing),
    multiLanguage: on(UI_VARIABLES.multiLanguage),
    qrCodeDisplayCapable: on(UI_VARIABLES.qrCodeDisplayCapable),
    languages: memberList(dm.valuesList?.(UI_VARIABLES.language)),
    personalMessageSize: dm.getInteger(UI_VARIABLES.personalMessageSize),
  };
}
