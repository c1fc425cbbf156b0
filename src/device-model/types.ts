/**
 * The device model as loaded from the component configuration (B05–B08): components, their
 * variables, and the attributes of each variable with their configured (default) values.
 */
import type {
  AttributeEnumType,
  MonitorEnumType,
  MutabilityEnumType,
  VariableCharacteristicsType,
} from '../generated/ocpp-types.js';

/** One attribute (Actual/Target/MinSet/MaxSet) of a variable, with its configured default value. */
export interface LoadedAttribute {
  type: AttributeEnumType;
  /** Defaults to ReadWrite when the config omits it (VariableAttributeType, Part 2 §2.50). */
  mutability: MutabilityEnumType;
  persistent: boolean;
  constant: boolean;
  /** The configured value as OCPP sends it (booleans normalized); undefined when unset. */
  value?: string;
}

/**
 * A monitor the station has from its configuration (N03): hard-wired (never changed nor cleared by
 * the CSMS) or preconfigured (activated by SetMonitoringBase All/FactoryDefault). See docs/monitoring.md.
 */
export interface ConfiguredMonitor {
  /** variableMonitoringId; assigned by the loader when the config leaves it out. */
  id: number;
  type: MonitorEnumType;
  value: number;
  severity: number;
  transaction: boolean;
  kind: 'HardWiredMonitor' | 'PreconfiguredMonitor';
}

/** One variable of a component. */
export interface LoadedVariable {
  /** Key of the variable in the file's `properties` object (for error messages). */
  key: string;
  name: string;
  instance?: string;
  characteristics: VariableCharacteristicsType;
  attributes: LoadedAttribute[];
  /** Hard-wired and preconfigured monitors (config `monitors`), if any. */
  monitors?: ConfiguredMonitor[];
}

/** One component of the device model, addressed by name, instance, EVSE and connector. */
export interface LoadedComponent {
  /** File the component was read from (or the template file it was synthesized from). */
  file: string;
  name: string;
  instance?: string;
  evseId?: number;
  connectorId?: number;
  variables: LoadedVariable[];
}

/** The EVSE/connector structure of a station: EVSEs numbered 1..n, connectors 1..m on each. */
export interface EvseStructure {
  id: number;
  connectors: Array<{ id: number }>;
}

/**
 * Address of one attribute of one variable: the library's and the host's way to read and write the
 * device model. Names and instances compare case-insensitively (ComponentType/VariableType are
 * identifierStrings, Part 2 §2.16).
 */
export interface VariableRef {
  component: string;
  componentInstance?: string;
  evseId?: number;
  connectorId?: number;
  variable: string;
  variableInstance?: string;
  /** Defaults to Actual. */
  attribute?: AttributeEnumType;
}

/** Who set a value: the config file, the host/CLI (at start or at runtime), or the CSMS. */
export type ValueSource = 'config' | 'host' | 'csms';
