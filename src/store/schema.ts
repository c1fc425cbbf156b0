/**
 * Kysely table types of the station database. One database may hold many stations: every table is
 * keyed by `station_id` first, so a fleet of simulated stations can share one file.
 * Columns holding JSON are TEXT (`*_json`); times are RFC 3339 UTC strings.
 */
import type { Generated } from 'kysely';

/**
 * One attribute (Actual/Target/MinSet/MaxSet) of one variable of one component: B05–B08. A station
 * has a row only for an attribute whose value differs from the loaded configuration (a CSMS or host
 * value, an override that differs); the others read the configuration (docs/device-model.md).
 */
export interface DeviceModelTable {
  station_id: string;
  component: string;
  /** '' when the component has no instance. */
  component_instance: string;
  /** 0 when the component is not addressed to an EVSE. */
  evse_id: number;
  /** 0 when the component is not addressed to a connector. */
  connector_id: number;
  variable: string;
  /** '' when the variable has no instance. */
  variable_instance: string;
  attribute_type: 'Actual' | 'Target' | 'MinSet' | 'MaxSet';
  /** VariableCharacteristicsType as JSON (dataType, unit, minLimit, maxLimit, valuesList, ...). */
  characteristics_json: string;
  mutability: 'ReadOnly' | 'WriteOnly' | 'ReadWrite';
  persistent: number;
  constant: number;
  /** Current value as OCPP sends it (string); null when the attribute has no value. */
  value: string | null;
  /**
   * Who set the current value: a start-up override that differs from the config (CLI `--set`:
   * 'config', recomputed at every start), the host at runtime, or the CSMS (both survive restarts while the
   * value fits the configuration). See docs/device-model.md.
   */
  value_source: 'config' | 'host' | 'csms';
  updated_at: string;
}

/** Outgoing messages waiting to be sent, durably (transaction messages, security events, ...). */
export interface MessageQueueTable {
  id: Generated<number>;
  station_id: string;
  /** OCPP-J message id, fixed before the first attempt so a retry is recognisably the same CALL. */
  message_id: string;
  action: string;
  payload_json: string;
  /** 'transaction' messages follow MessageAttempts/MessageAttemptInterval (E13, OCPP-J §4.1.1). */
  kind: 'transaction' | 'normal';
  /** Optional idempotency key: enqueueing the same key twice keeps one row (restore re-runs actors). */
  dedupe_key: string | null;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  /**
   * systemId of the actor that receives the answer (a transaction): its row is deleted in the same
   * SQLite transaction as that actor's next snapshot (migration 0004). Null: the queue deletes it.
   */
  owner: string | null;
}

/** Persisted xstate snapshot of one actor, with the machine version it was taken from. */
export interface ActorSnapshotTable {
  station_id: string;
  actor_id: string;
  machine_version: number;
  snapshot_json: string;
  updated_at: string;
}

/** Operational status set by ChangeAvailability (G03/G04), persisted across reboots. */
export interface AvailabilityTable {
  station_id: string;
  /** 0 = the whole station. */
  evse_id: number;
  /** 0 = the whole EVSE (or station). */
  connector_id: number;
  operational_status: 'Operative' | 'Inoperative';
  /** A change accepted as Scheduled, applied when the transaction on it ends. */
  scheduled_status: 'Operative' | 'Inoperative' | null;
  updated_at: string;
}

/** Small per-station facts that must survive a power loss (pending boot reason, last time, ...). */
export interface StationStateTable {
  station_id: string;
  key: string;
  value_json: string;
  updated_at: string;
}

/** What the EV on a simulated connector does (CLI simulator). */
export type SimEvState = 'absent' | 'connected' | 'charging' | 'suspended';

/** Simulated hardware of one connector of a CLI station (migration 0002), restored after a power loss. */
export interface SimHardwareTable {
  station_id: string;
  evse_id: number;
  connector_id: number;
  /** 1 when a cable is plugged in (an EV is connected). */
  plugged: number;
  /** 1 while the connector hardware reports a fault. */
  faulted: number;
  ev_state: SimEvState;
  /** Energy register of the meter, integer Wh (Energy.Active.Import.Register). */
  energy_wh: number;
  /** Power the EV draws while it charges, integer W (it draws nothing otherwise); 0 = not set yet. */
  power_w: number;
  /** 1 while the retention lock holds a detachable cable in the socket (migration 0005). */
  locked: Generated<number>;
  /** 1 when the next locking attempt fails (CLI `lock-fail`, until `clear`). */
  lock_fail: Generated<number>;
  /** 1 while the parking bay sensor of the connector's EVSE sees an EV. */
  parked: Generated<number>;
  updated_at: string;
}

/** An installed charging profile (K01.FR.27): set by the CSMS, or an external limit (K11/K12). */
export interface ChargingProfileTable {
  /** Installation order: a profile replaced by id (K01.FR.05) gets a new seq. */
  seq: Generated<number>;
  station_id: string;
  /** ChargingProfileType.id; negative for external limits (K11.FR.06 recommendation). */
  profile_id: number;
  /** 0 = the Charging Station (grid connection). */
  evse_id: number;
  purpose:
    'ChargingStationMaxProfile' | 'TxDefaultProfile' | 'TxProfile' | 'ChargingStationExternalConstraints';
  stack_level: number;
  /** TxProfile: the transaction it limits (K02.FR.05 deletes it when that transaction ends). */
  transaction_id: string | null;
  /** 'CSO' for CSMS profiles, else the external system (EMS, SO, Other). */
  charging_limit_source: 'EMS' | 'Other' | 'SO' | 'CSO';
  /** The ChargingProfileType as JSON. */
  profile_json: string;
  installed_at: string;
}

/**
 * An open (or not yet ended) transaction, derived from its actor's context (migration 0004): what a
 * station rebuilds from when an actor snapshot cannot be used (machine version changed).
 */
export interface TransactionRecordTable {
  station_id: string;
  transaction_id: string;
  evse_id: number;
  connector_id: number | null;
  /** The seqNo the next TransactionEventRequest of this transaction carries. */
  next_seq_no: number;
  /** The transaction actor's context as JSON. */
  context_json: string;
  /** Timestamp of TransactionEvent Started; null before the transaction started. */
  started_at: string | null;
  updated_at: string;
}

/** A meter value recorded during a transaction for its Ended message (J02, TxEndedMeasurands). */
export interface TransactionMeterValueTable {
  id: Generated<number>;
  station_id: string;
  transaction_id: string;
  /** MeterValueType as JSON. */
  meter_value_json: string;
}

/** An Authorization Cache entry (C10, migration 0006): the CSMS's last word on a token. */
export interface AuthCacheEntryTable {
  station_id: string;
  /** Case-insensitive identity of the idToken (type and value). */
  token_key: string;
  /** IdTokenType as JSON. */
  id_token_json: string;
  /** IdTokenInfoType as cached (without personalMessage, C10.FR.09) as JSON. */
  id_token_info_json: string;
  /** First stored (FIFO eviction). */
  inserted_at: string;
  /** Last stored or updated by a CSMS answer. */
  updated_at: string;
  /** Last stored, updated or used for a decision (LifeTime, LRU eviction). */
  last_used_at: string;
  /** How often it was stored or used (LFU eviction). */
  uses: number;
}

/** An entry of the Local Authorization List (D01, migration 0006). */
export interface LocalListEntryTable {
  station_id: string;
  token_key: string;
  id_token_json: string;
  id_token_info_json: string;
}

/** The version number of the Local Authorization List (D01.FR.01); no row: no list yet (D02.FR.02). */
export interface LocalListVersionTable {
  station_id: string;
  version_number: number;
  updated_at: string;
}

/**
 * An active reservation (H01), derived from its `reservation:<id>` actor (migration 0007): what a
 * station rebuilds the reservation from when the actor's snapshot cannot be used.
 */
/** One monitor (N02–N08), migrations/0012_monitoring.ts. */
export interface VariableMonitorTable {
  station_id: string;
  monitor_id: number;
  kind: string;
  origin: string | null;
  active: number;
  /** ComponentType / VariableType as JSON. */
  component_json: string;
  variable_json: string;
  type: string;
  value: number;
  severity: number;
  transaction: number;
  exceeded: number;
  reference: string | null;
  /** RFC 3339: when a periodic monitor reports next. */
  next_at: string | null;
  updated_at: string;
}

export interface ReservationTable {
  station_id: string;
  reservation_id: number;
  /** null: any EVSE (or any with `connector_type`). */
  evse_id: number | null;
  /** ConnectorEnumType; null: any connector. */
  connector_type: string | null;
  /** IdTokenType as JSON. */
  id_token_json: string;
  /** IdTokenType as JSON, or null. */
  group_id_token_json: string | null;
  /** RFC 3339. */
  expiry_date_time: string;
  updated_at: string;
}

/** A display message set by the CSMS (O01–O06, migration 0011), until cleared, replaced or expired. */
export interface DisplayMessageTable {
  station_id: string;
  message_id: number;
  /** MessagePriorityEnumType. */
  priority: string;
  /** O02: the transaction the message belongs to (removed when it ends), or null. */
  transaction_id: string | null;
  /** MessageInfoType as JSON. */
  message_info_json: string;
  stored_at: string;
}

/** Customer data the simulator holds (CLI `customer add`, N09/N10; migration 0011). */
export interface SimCustomerDataTable {
  station_id: string;
  customer_identifier: string;
  text: string;
  added_at: string;
}

export interface Database {
  device_model: DeviceModelTable;
  message_queue: MessageQueueTable;
  actor_snapshot: ActorSnapshotTable;
  availability: AvailabilityTable;
  station_state: StationStateTable;
  sim_hardware: SimHardwareTable;
  charging_profile: ChargingProfileTable;
  transaction_record: TransactionRecordTable;
  transaction_meter_value: TransactionMeterValueTable;
  auth_cache_entry: AuthCacheEntryTable;
  local_list_entry: LocalListEntryTable;
  local_list_version: LocalListVersionTable;
  reservation: ReservationTable;
  variable_monitor: VariableMonitorTable;
  display_message: DisplayMessageTable;
  sim_customer_data: SimCustomerDataTable;
}
