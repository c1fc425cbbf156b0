/**
 * fast-check arbitraries of frames a misbehaving CSMS sends (test/fault/fuzz-frames.test.ts).
 *
 * Every arbitrary yields a {@link FuzzFrame}: the text to send and, for a frame that is a
 * well-formed CALL (`[2, "<id>", "<action>", {...}]`), its message id and action, which the station
 * must answer. Message ids of CALLs are unique per frame (`fz` + a 12-digit number drawn from a
 * large range and made unique by the test's sample size being far smaller); frames that are not
 * CALLs never carry an id of that form.
 */
import fc from 'fast-check';

export interface FuzzFrame {
  text: string;
  call?: { messageId: string; action: string };
}

let serial = 0;
/** A message id no other generated frame uses (the arbitrary draws it, the counter makes it unique). */
const messageId = fc.constant(null).map(() => `fz${(++serial).toString().padStart(10, '0')}`);

const call = (action: string, payload: unknown, id: string): FuzzFrame => ({
  text: JSON.stringify([2, id, action, payload]),
  call: { messageId: id, action },
});

/** Text that is not JSON, or JSON cut short. */
const malformedJson: fc.Arbitrary<FuzzFrame> = fc
  .oneof(
    fc.string({ maxLength: 120 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
    fc
      .tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat())
      .map(([value, cut]) => {
        const text = JSON.stringify([2, 'cut', 'Reset', value]);
        return text.slice(0, cut % text.length);
      })
      .filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
  )
  .map((text) => ({ text }));

/** JSON of the wrong shape: not an array, wrong element types, unknown message types. */
const wrongShape: fc.Arbitrary<FuzzFrame> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.tuple(
      fc.oneof(fc.integer({ min: -3, max: 9 }), fc.string({ maxLength: 3 })),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    fc.tuple(
      fc.constant(2),
      fc.oneof(fc.integer(), fc.constant(null), fc.string({ maxLength: 80 })),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    fc.tuple(fc.constantFrom(3, 4), fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 })),
  )
  // A frame of this group is never a well-formed CALL with one of our ids.
  .filter((value) => !(Array.isArray(value) && typeof value[1] === 'string' && value[1].startsWith('fz')))
  .map((value) => ({ text: JSON.stringify(value) ?? 'null' }));

/** CSMS-initiated actions whose effects stay inside the process, whatever the payload. */
const CSMS_ACTIONS = [
  'CancelReservation',
  'CertificateSigned',
  'ChangeAvailability',
  'ClearCache',
  'ClearChargingProfile',
  'ClearDisplayMessage',
  'ClearVariableMonitoring',
  'CostUpdated',
  'CustomerInformation',
  'DataTransfer',
  'DeleteCertificate',
  'GetChargingProfiles',
  'GetCompositeSchedule',
  'GetDisplayMessages',
  'GetInstalledCertificateIds',
  'GetLocalListVersion',
  'GetTransactionStatus',
  'GetVariables',
  'InstallCertificate',
  'RequestStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'SetDisplayMessage',
  'SetMonitoringLevel',
  'SetVariableMonitoring',
  'SetVariables',
  'TriggerMessage',
  'UnlockConnector',
] as const;

/** Action names OCPP 2.0.1 does not define, and actions only a station sends. */
const unknownAction: fc.Arbitrary<FuzzFrame> = fc
  .tuple(
    fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.constantFrom('BootNotification', 'Heartbeat', 'reset', 'RESET'),
    ),
    fc.object({ maxDepth: 2 }),
    messageId,
  )
  .filter(([action]) => !(CSMS_ACTIONS as readonly string[]).includes(action))
  .map(([action, payload, id]) => call(action, payload, id));

/** A known action with a payload of random JSON (mostly schema violations of every kind). */
const randomPayload: fc.Arbitrary<FuzzFrame> = fc
  .tuple(fc.constantFrom(...CSMS_ACTIONS), fc.jsonValue({ maxDepth: 3 }), messageId)
  .map(([action, payload, id]) => call(action, payload, id));

const evse = fc.integer({ min: -2, max: 1_000 });
const text = (max: number) => fc.string({ maxLength: max });
const token = fc.record({
  idToken: fc.string({ maxLength: 36 }),
  type: fc.constantFrom(
    'Central',
    'eMAID',
    'ISO14443',
    'ISO15693',
    'KeyCode',
    'Local',
    'MacAddress',
    'NoAuthorization',
  ),
});
const component = fc.record({ name: text(50) }, { requiredKeys: ['name'] });
const variable = fc.record({ name: text(50) });

/** Payloads that pass the schema but make no sense: unknown EVSEs, ids, components, versions. */
const nonsense: fc.Arbitrary<FuzzFrame> = fc
  .tuple(
    fc.oneof(
      fc.record({
        action: fc.constant('CancelReservation'),
        payload: fc.record({ reservationId: fc.integer() }),
      }),
      fc.record({
        action: fc.constant('ChangeAvailability'),
        payload: fc.record({
          operationalStatus: fc.constantFrom('Operative', 'Inoperative'),
          evse: fc.record({ id: fc.integer({ min: 3, max: 1_000 }) }),
        }),
      }),
      fc.record({ action: fc.constant('ClearCache'), payload: fc.constant({}) }),
      fc.record({
        action: fc.constant('ClearChargingProfile'),
        payload: fc.record({ chargingProfileId: fc.integer() }),
      }),
      fc.record({
        action: fc.constant('DataTransfer'),
        payload: fc.record(
          {
            vendorId: text(255).filter((s) => s.length > 0),
            messageId: text(50),
            data: fc.jsonValue({ maxDepth: 2 }),
          },
          { requiredKeys: ['vendorId'] },
        ),
      }),
      fc.record({
        action: fc.constant('GetCompositeSchedule'),
        payload: fc.record({ duration: fc.integer({ min: -10, max: 10_000_000 }), evseId: evse }),
      }),
      fc.record({ action: fc.constant('GetLocalListVersion'), payload: fc.constant({}) }),
      fc.record({
        action: fc.constant('GetTransactionStatus'),
        payload: fc.record({ transactionId: text(36) }),
      }),
      fc.record({
        action: fc.constant('GetVariables'),
        payload: fc.record({
          getVariableData: fc.array(fc.record({ component, variable }), { minLength: 1, maxLength: 5 }),
        }),
      }),
      fc.record({
        action: fc.constant('RequestStopTransaction'),
        payload: fc.record({ transactionId: text(36) }),
      }),
      fc.record({
        action: fc.constant('ReserveNow'),
        payload: fc.record({
          id: fc.integer(),
          expiryDateTime: fc
            .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString()),
          idToken: token,
          evseId: fc.integer({ min: 3, max: 1_000 }),
        }),
      }),
      fc.record({
        action: fc.constant('Reset'),
        payload: fc.record({ type: fc.constantFrom('Immediate', 'OnIdle'), evseId: evse }),
      }),
      fc.record({
        action: fc.constant('SetVariables'),
        payload: fc.record({
          setVariableData: fc.array(
            fc.record({
              // Components no device model has: nothing the station runs on is changed.
              component: fc.record({ name: text(40).map((s) => `Fuzz${s}`) }),
              variable,
              attributeValue: text(100),
            }),
            { minLength: 1, maxLength: 5 },
          ),
        }),
      }),
      fc.record({
        action: fc.constant('TriggerMessage'),
        payload: fc.record({
          requestedMessage: fc.constantFrom(
            'MeterValues',
            'StatusNotification',
            'Heartbeat',
            'FirmwareStatusNotification',
            'LogStatusNotification',
            'TransactionEvent',
          ),
          evse: fc.record({
            id: fc.integer({ min: 0, max: 1_000 }),
            connectorId: fc.integer({ min: 0, max: 10 }),
          }),
        }),
      }),
      fc.record({
        action: fc.constant('UnlockConnector'),
        payload: fc.record({
          evseId: fc.integer({ min: 3, max: 1_000 }),
          connectorId: fc.integer({ min: 0, max: 10 }),
        }),
      }),
    ),
    messageId,
  )
  .map(([{ action, payload }, id]) => call(action, payload, id));

/** Huge strings where short ones belong (64 KiB to 1 MiB). */
const huge: fc.Arbitrary<FuzzFrame> = fc
  .tuple(
    fc.integer({ min: 64 * 1024, max: 1024 * 1024 }),
    fc.constantFrom('vendorId', 'messageId', 'data'),
    messageId,
  )
  .map(([size, field, id]) =>
    call('DataTransfer', { vendorId: 'com.example', ...{ [field]: 'x'.repeat(size) } }, id),
  );

/** The mix: mostly CALLs the station must answer, a tenth garbage, a few huge frames. */
export const fuzzFrames: fc.Arbitrary<FuzzFrame> = fc.oneof(
  { arbitrary: malformedJson, weight: 100 },
  { arbitrary: wrongShape, weight: 100 },
  { arbitrary: unknownAction, weight: 200 },
  { arbitrary: randomPayload, weight: 800 },
  { arbitrary: nonsense, weight: 800 },
  { arbitrary: huge, weight: 1 },
);
