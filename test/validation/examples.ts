/**
 * Test fixtures: realistic OCPP 2.0.1 payloads for a spread of actions, typed against the generated
 * message types (so a typo fails the typecheck) and validated at runtime by the tests.
 */
import type { OcppRequestMap, OcppResponseMap } from '../../src/generated/ocpp-types.js';

const at = '2025-03-14T09:26:53.589Z';
const idToken = { idToken: '04A1B2C3D4E5F6', type: 'ISO14443' } as const;
const component = { name: 'OCPPCommCtrlr' };
const variable = { name: 'HeartbeatInterval' };

export const VALID_REQUESTS: { [A in keyof OcppRequestMap]?: OcppRequestMap[A] } = {
  // Part 4 §4.2.1 example.
  BootNotification: {
    reason: 'PowerUp',
    chargingStation: { model: 'SingleSocketCharger', vendorName: 'VendorX' },
  },
  Heartbeat: {},
  StatusNotification: { timestamp: at, connectorStatus: 'Available', evseId: 1, connectorId: 1 },
  Authorize: { idToken },
  TransactionEvent: {
    eventType: 'Started',
    timestamp: at,
    triggerReason: 'Authorized',
    seqNo: 0,
    offline: false,
    transactionInfo: { transactionId: '9a8b7c6d-0000-4000-8000-123456789abc', chargingState: 'EVConnected' },
    evse: { id: 1, connectorId: 1 },
    idToken,
    meterValue: [
      {
        timestamp: at,
        sampledValue: [
          {
            value: 1234.5,
            measurand: 'Energy.Active.Import.Register',
            context: 'Transaction.Begin',
            unitOfMeasure: { unit: 'Wh' },
          },
          { value: 230.1, measurand: 'Voltage', phase: 'L1-N' },
        ],
      },
    ],
  },
  MeterValues: {
    evseId: 1,
    meterValue: [{ timestamp: at, sampledValue: [{ value: 7200, measurand: 'Power.Active.Import' }] }],
  },
  NotifyReport: {
    requestId: 1,
    generatedAt: at,
    seqNo: 0,
    tbc: false,
    reportData: [
      {
        component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
        variable: { name: 'AvailabilityState' },
        variableAttribute: [{ type: 'Actual', value: 'Available', mutability: 'ReadOnly' }],
        variableCharacteristics: {
          dataType: 'OptionList',
          supportsMonitoring: false,
          valuesList: 'Available,Occupied,Reserved,Unavailable,Faulted',
        },
      },
    ],
  },
  NotifyEvent: {
    generatedAt: at,
    seqNo: 0,
    eventData: [
      {
        eventId: 1,
        timestamp: at,
        trigger: 'Delta',
        actualValue: 'Faulted',
        eventNotificationType: 'HardWiredNotification',
        component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
        variable: { name: 'AvailabilityState' },
      },
    ],
  },
  SecurityEventNotification: { type: 'StartupOfTheDevice', timestamp: at },
  FirmwareStatusNotification: { status: 'Downloading', requestId: 7 },
  DataTransfer: {
    vendorId: 'com.example',
    messageId: 'meter-serial',
    data: { nested: [1, 'two', { three: null }] },
  },
  SetVariables: { setVariableData: [{ attributeValue: '30', component, variable }] },
  GetVariables: {
    getVariableData: [
      { component, variable },
      { component: { name: 'ChargingStation' }, variable: { name: 'Model' } },
    ],
  },
  RequestStartTransaction: {
    idToken: { idToken: 'remote-1', type: 'Central' },
    remoteStartId: 42,
    evseId: 1,
  },
  RequestStopTransaction: { transactionId: '9a8b7c6d-0000-4000-8000-123456789abc' },
  Reset: { type: 'OnIdle', evseId: 1 },
  ChangeAvailability: { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 1 } },
  TriggerMessage: { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } },
  SetChargingProfile: {
    evseId: 1,
    chargingProfile: {
      id: 10,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: [
        {
          id: 1,
          startSchedule: at,
          chargingRateUnit: 'A',
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 3 }],
        },
      ],
    },
  },
  UnlockConnector: { evseId: 1, connectorId: 1 },
  GetBaseReport: { requestId: 3, reportBase: 'FullInventory' },
  UpdateFirmware: {
    requestId: 5,
    firmware: { location: 'https://firmware.example.com/v2.bin', retrieveDateTime: at },
  },
  NotifyEVChargingNeeds: {
    evseId: 1,
    chargingNeeds: {
      requestedEnergyTransfer: 'DC',
      dcChargingParameters: {
        evMaxCurrent: 200,
        evMaxVoltage: 450,
        stateOfCharge: 35,
        fullSoC: 100,
        bulkSoC: 80,
      },
    },
  },
};

export const VALID_RESPONSES: { [A in keyof OcppResponseMap]?: OcppResponseMap[A] } = {
  // Part 4 §4.2.2 example.
  BootNotification: { currentTime: '2013-02-01T20:53:32.486Z', interval: 300, status: 'Accepted' },
  Heartbeat: { currentTime: '2019-12-19T16:39:57+01:00' },
  Authorize: { idTokenInfo: { status: 'Accepted', cacheExpiryDateTime: at } },
  TransactionEvent: { totalCost: 1.25, idTokenInfo: { status: 'Accepted' } },
  StatusNotification: {},
  SetVariables: { setVariableResult: [{ attributeStatus: 'Accepted', component, variable }] },
  GetVariables: {
    getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '30', component, variable }],
  },
  Reset: { status: 'Scheduled' },
  RequestStartTransaction: { status: 'Accepted', transactionId: '9a8b7c6d-0000-4000-8000-123456789abc' },
  TriggerMessage: { status: 'Accepted' },
  DataTransfer: { status: 'UnknownVendorId' },
  GetBaseReport: { status: 'Accepted' },
  NotifyReport: {},
};
