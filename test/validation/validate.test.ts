import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OCPP_ACTIONS, type OcppAction } from '../../src/generated/ocpp-types.js';
import {
  isOcppAction,
  validateRequest,
  validateResponse,
  type ValidationErrorCode,
  type ValidationFailure,
} from '../../src/validation/index.js';
import { VALID_REQUESTS, VALID_RESPONSES } from './examples.js';
import { exampleOf, loadSchemas, violationsOf } from './schema-cases.js';

const schemas = loadSchemas();

/** Validates against the schema called `name` (`<Action>Request` / `<Action>Response`). */
function validateBySchemaName(name: string, payload: unknown): ValidationFailure | null {
  const action = name.replace(/(Request|Response)$/, '');
  assert.ok(isOcppAction(action), `${name} names an action`);
  return name.endsWith('Request') ? validateRequest(action, payload) : validateResponse(action, payload);
}

test('realistic payloads of a spread of actions are valid', () => {
  const requests = Object.entries(VALID_REQUESTS);
  const responses = Object.entries(VALID_RESPONSES);
  assert.ok(requests.length >= 20 && responses.length >= 10);
  for (const [action, payload] of requests) {
    assert.equal(validateRequest(action as OcppAction, payload), null, `${action}Request`);
  }
  for (const [action, payload] of responses) {
    assert.equal(validateResponse(action as OcppAction, payload), null, `${action}Response`);
  }
});

test('for every one of the 128 schemas, an example with only required fields and one with every field are valid', () => {
  assert.equal(schemas.size, 128);
  for (const [name, schema] of schemas) {
    assert.equal(
      validateBySchemaName(name, exampleOf(schema, schema, false)),
      null,
      `${name} (required fields)`,
    );
    assert.equal(validateBySchemaName(name, exampleOf(schema, schema, true)), null, `${name} (every field)`);
  }
});

test('every constraint of every schema, broken alone, is reported with its keyword, code and field path', () => {
  const seen = new Map<string, number>();
  for (const [name, schema] of schemas) {
    for (const c of violationsOf(name, schema)) {
      const failure = validateBySchemaName(name, c.payload);
      assert.ok(failure, `${c.label}: expected a failure`);
      assert.deepEqual(
        {
          code: failure.code,
          keyword: failure.details.errors[0]?.keyword,
          path: failure.details.errors[0]?.path,
        },
        { code: c.code, keyword: c.keyword, path: c.path },
        c.label,
      );
      assert.ok(
        failure.description.startsWith(`${c.path || 'payload'}: `),
        `${c.label}: ${failure.description}`,
      );
      assert.ok([...failure.description].length <= 255, c.label);
      seen.set(c.keyword, (seen.get(c.keyword) ?? 0) + 1);
    }
  }
  // Every keyword that constrains something in the schemas was exercised.
  assert.deepEqual([...seen.keys()].sort(), [
    'additionalProperties',
    'enum',
    'format',
    'maxItems',
    'maxLength',
    'maximum',
    'minItems',
    'minimum',
    'required',
    'type',
  ]);
});

interface Row {
  title: string;
  action: OcppAction;
  direction: 'request' | 'response';
  payload: unknown;
  code: ValidationErrorCode;
  keyword: string;
  description: string;
}

const boot = { reason: 'PowerUp', chargingStation: { model: 'SingleSocketCharger', vendorName: 'VendorX' } };
const txUpdated = {
  eventType: 'Updated',
  timestamp: '2025-03-14T09:26:53Z',
  triggerReason: 'MeterValuePeriodic',
  seqNo: 4,
  transactionInfo: { transactionId: 'tx-1' },
};

const TABLE: Row[] = [
  // OccurrenceConstraintViolation
  {
    title: 'required field missing',
    action: 'BootNotification',
    direction: 'request',
    payload: { reason: 'PowerUp' },
    code: 'OccurrenceConstraintViolation',
    keyword: 'required',
    description: '/chargingStation: required property is missing',
  },
  {
    title: 'nested required field missing',
    action: 'BootNotification',
    direction: 'request',
    payload: { reason: 'PowerUp', chargingStation: { model: 'M' } },
    code: 'OccurrenceConstraintViolation',
    keyword: 'required',
    description: '/chargingStation/vendorName: required property is missing',
  },
  {
    title: 'customData without vendorId',
    action: 'Heartbeat',
    direction: 'request',
    payload: { customData: { meter: 1 } },
    code: 'OccurrenceConstraintViolation',
    keyword: 'required',
    description: '/customData/vendorId: required property is missing',
  },
  {
    title: 'empty list (Part 4 §4.1.5: [] is not allowed for an absent field)',
    action: 'GetVariables',
    direction: 'request',
    payload: { getVariableData: [] },
    code: 'OccurrenceConstraintViolation',
    keyword: 'minItems',
    description: '/getVariableData: must NOT have fewer than 1 items',
  },
  {
    title: 'list longer than its cardinality',
    action: 'Authorize',
    direction: 'request',
    payload: {
      idToken: { idToken: 'A', type: 'ISO14443' },
      iso15118CertificateHashData: Array.from({ length: 5 }, () => ({
        hashAlgorithm: 'SHA256',
        issuerNameHash: 'a',
        issuerKeyHash: 'b',
        serialNumber: 'c',
        responderURL: 'http://ocsp.example.com',
      })),
    },
    code: 'OccurrenceConstraintViolation',
    keyword: 'maxItems',
    description: '/iso15118CertificateHashData: must NOT have more than 4 items',
  },
  // TypeConstraintViolation
  {
    title: 'string for an integer',
    action: 'BootNotification',
    direction: 'response',
    payload: { currentTime: '2025-03-14T09:26:53Z', interval: '300', status: 'Accepted' },
    code: 'TypeConstraintViolation',
    keyword: 'type',
    description: '/interval: must be integer',
  },
  {
    title: 'fraction for an integer',
    action: 'BootNotification',
    direction: 'response',
    payload: { currentTime: '2025-03-14T09:26:53Z', interval: 1.5, status: 'Accepted' },
    code: 'TypeConstraintViolation',
    keyword: 'type',
    description: '/interval: must be integer',
  },
  {
    title: 'null for an optional field (Part 4 §4.1.5: leave it out)',
    action: 'TransactionEvent',
    direction: 'request',
    payload: { ...txUpdated, offline: null },
    code: 'TypeConstraintViolation',
    keyword: 'type',
    description: '/offline: must be boolean',
  },
  {
    title: 'string for a decimal deep in a list',
    action: 'TransactionEvent',
    direction: 'request',
    payload: {
      ...txUpdated,
      meterValue: [{ timestamp: '2025-03-14T09:26:53Z', sampledValue: [{ value: '12.5' }] }],
    },
    code: 'TypeConstraintViolation',
    keyword: 'type',
    description: '/meterValue/0/sampledValue/0/value: must be number',
  },
  {
    title: 'object for a string',
    action: 'RequestStopTransaction',
    direction: 'request',
    payload: { transactionId: { id: 'tx-1' } },
    code: 'TypeConstraintViolation',
    keyword: 'type',
    description: '/transactionId: must be string',
  },
  // PropertyConstraintViolation
  {
    title: 'string longer than its maximum length',
    action: 'BootNotification',
    direction: 'request',
    payload: { ...boot, chargingStation: { ...boot.chargingStation, model: 'M'.repeat(21) } },
    code: 'PropertyConstraintViolation',
    keyword: 'maxLength',
    description: '/chargingStation/model: must NOT have more than 20 characters',
  },
  {
    title: 'value outside the enumeration',
    action: 'Reset',
    direction: 'request',
    payload: { type: 'Hard' },
    code: 'PropertyConstraintViolation',
    keyword: 'enum',
    description: '/type: must be equal to one of the allowed values: Immediate, OnIdle',
  },
  {
    title: 'enumeration is case-sensitive',
    action: 'Reset',
    direction: 'response',
    payload: { status: 'accepted' },
    code: 'PropertyConstraintViolation',
    keyword: 'enum',
    description: '/status: must be equal to one of the allowed values: Accepted, Rejected, Scheduled',
  },
  {
    title: 'below minimum',
    action: 'NotifyEVChargingNeeds',
    direction: 'request',
    payload: {
      evseId: 1,
      chargingNeeds: {
        requestedEnergyTransfer: 'DC',
        dcChargingParameters: { evMaxCurrent: 1, evMaxVoltage: 1, stateOfCharge: -1 },
      },
    },
    code: 'PropertyConstraintViolation',
    keyword: 'minimum',
    description: '/chargingNeeds/dcChargingParameters/stateOfCharge: must be >= 0',
  },
  {
    title: 'above maximum',
    action: 'NotifyEVChargingNeeds',
    direction: 'request',
    payload: {
      evseId: 1,
      chargingNeeds: {
        requestedEnergyTransfer: 'DC',
        dcChargingParameters: { evMaxCurrent: 1, evMaxVoltage: 1, bulkSoC: 101 },
      },
    },
    code: 'PropertyConstraintViolation',
    keyword: 'maximum',
    description: '/chargingNeeds/dcChargingParameters/bulkSoC: must be <= 100',
  },
  {
    title: 'date-time that is not one',
    action: 'Heartbeat',
    direction: 'response',
    payload: { currentTime: 'yesterday' },
    code: 'PropertyConstraintViolation',
    keyword: 'format',
    description: '/currentTime: must match format "date-time"',
  },
  {
    title: 'date-time without offset (RFC 3339 requires Z or ±hh:mm)',
    action: 'Heartbeat',
    direction: 'response',
    payload: { currentTime: '2025-03-14T09:26:53' },
    code: 'PropertyConstraintViolation',
    keyword: 'format',
    description: '/currentTime: must match format "date-time"',
  },
  {
    title: 'impossible date-time',
    action: 'StatusNotification',
    direction: 'request',
    payload: { timestamp: '2025-02-29T10:00:00Z', connectorStatus: 'Available', evseId: 1, connectorId: 1 },
    code: 'PropertyConstraintViolation',
    keyword: 'format',
    description: '/timestamp: must match format "date-time"',
  },
  // FormatViolation
  {
    title: 'field the schema does not define',
    action: 'BootNotification',
    direction: 'request',
    payload: { ...boot, firmware: '1.0' },
    code: 'FormatViolation',
    keyword: 'additionalProperties',
    description: '/firmware: property is not defined by the schema',
  },
  {
    title: 'nested field the schema does not define',
    action: 'BootNotification',
    direction: 'request',
    payload: { ...boot, chargingStation: { ...boot.chargingStation, 'odd/name~': 1 } },
    code: 'FormatViolation',
    keyword: 'additionalProperties',
    description: '/chargingStation/odd~1name~0: property is not defined by the schema',
  },
  {
    title: 'a "__proto__" key from JSON.parse is an unknown field like any other',
    action: 'Heartbeat',
    direction: 'request',
    payload: JSON.parse('{"__proto__": {"vendorId": "x"}}') as unknown,
    code: 'FormatViolation',
    keyword: 'additionalProperties',
    description: '/__proto__: property is not defined by the schema',
  },
  {
    title: 'null payload (Part 4 §4.1.5: use {})',
    action: 'Heartbeat',
    direction: 'request',
    payload: null,
    code: 'FormatViolation',
    keyword: 'type',
    description: 'payload: must be object',
  },
  {
    title: 'array payload',
    action: 'Heartbeat',
    direction: 'response',
    payload: [],
    code: 'FormatViolation',
    keyword: 'type',
    description: 'payload: must be object',
  },
  {
    title: 'string payload',
    action: 'BootNotification',
    direction: 'request',
    payload: 'PowerUp',
    code: 'FormatViolation',
    keyword: 'type',
    description: 'payload: must be object',
  },
  {
    title: 'number payload',
    action: 'Reset',
    direction: 'request',
    payload: 1,
    code: 'FormatViolation',
    keyword: 'type',
    description: 'payload: must be object',
  },
  {
    title: 'no payload at all',
    action: 'Heartbeat',
    direction: 'request',
    payload: undefined,
    code: 'FormatViolation',
    keyword: 'type',
    description: 'payload: must be object',
  },
];

for (const row of TABLE) {
  test(`${row.direction} ${row.action}: ${row.title} -> ${row.code}`, () => {
    const validate = row.direction === 'request' ? validateRequest : validateResponse;
    const failure = validate(row.action, row.payload);
    assert.ok(failure, 'expected a failure');
    assert.equal(failure.code, row.code);
    assert.equal(failure.description, row.description);
    assert.equal(failure.details.errors.length, 1);
    assert.equal(failure.details.errors[0]?.keyword, row.keyword);
    assert.equal(
      `${failure.details.errors[0]?.path || 'payload'}: ${failure.details.errors[0]?.message}`,
      row.description,
    );
    assert.doesNotThrow(() => JSON.stringify(failure)); // details go into a CALLERROR frame as they are
  });
}

test('customData may carry any vendor fields (Part 4 §9)', () => {
  const payload = { customData: { vendorId: 'com.example', mainMeterValue: 12345, sessionsToDate: 342 } };
  assert.equal(validateRequest('Heartbeat', payload), null);
});

test('string lengths count characters, not UTF-16 units or bytes', () => {
  const twentyEmoji = '🔌'.repeat(20);
  const ok = { ...boot, chargingStation: { ...boot.chargingStation, model: twentyEmoji } };
  assert.equal(validateRequest('BootNotification', ok), null);
  const tooLong = { ...boot, chargingStation: { ...boot.chargingStation, model: `${twentyEmoji}é` } };
  assert.equal(validateRequest('BootNotification', tooLong)?.code, 'PropertyConstraintViolation');
});

test('a description longer than a CALLERROR allows (string[255]) is cut with an ellipsis', () => {
  const payload = {
    ...txUpdated,
    meterValue: [{ timestamp: '2025-03-14T09:26:53Z', sampledValue: [{ value: 1, measurand: 'Energy' }] }],
  };
  const failure = validateRequest('TransactionEvent', payload);
  assert.equal(failure?.code, 'PropertyConstraintViolation');
  assert.equal([...(failure?.description ?? '')].length, 255);
  assert.ok(
    failure?.description.startsWith(
      '/meterValue/0/sampledValue/0/measurand: must be equal to one of the allowed values: ',
    ),
  );
  assert.ok(failure?.description.endsWith('…'));
  // details keep the whole message: they have no length limit.
  assert.ok(failure?.details.errors[0]?.message.includes('Voltage'));
});

test('validation neither changes the payload nor fills in schema defaults', () => {
  const payload = {
    getVariableData: [{ component: { name: 'ChargingStation' }, variable: { name: 'Model' } }],
  };
  const before = structuredClone(payload);
  assert.equal(validateRequest('GetVariables', payload), null); // attributeType has "default": "Actual"
  assert.deepEqual(payload, before);
});

test('a failure does not leak into the next validation of the same schema', () => {
  assert.equal(validateRequest('Reset', { type: 'Hard' })?.code, 'PropertyConstraintViolation');
  assert.equal(validateRequest('Reset', { type: 'Immediate' }), null);
  assert.equal(validateRequest('Reset', {})?.code, 'OccurrenceConstraintViolation');
});

test('isOcppAction accepts exactly the 64 actions', () => {
  assert.equal(OCPP_ACTIONS.length, 64);
  for (const action of OCPP_ACTIONS) assert.ok(isOcppAction(action), action);
  for (const other of [
    '',
    'bootNotification',
    'BootNotificationRequest',
    'Boot',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
  ]) {
    assert.equal(isOcppAction(other), false, other);
  }
});

test('an unknown action is refused with a TypeError naming it, not a crash inside the validator', () => {
  assert.throws(() => validateRequest('Teleport' as OcppAction, {}), {
    name: 'TypeError',
    message: 'validateRequest: "Teleport" is not an OCPP 2.0.1 action',
  });
  assert.throws(() => validateResponse('__proto__' as OcppAction, {}), {
    name: 'TypeError',
    message: 'validateResponse: "__proto__" is not an OCPP 2.0.1 action',
  });
});
