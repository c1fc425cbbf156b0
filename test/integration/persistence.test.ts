/**
 * What survives a restart of a real station on its SQLite file: values the CSMS set, changed
 * configuration defaults (applied at the next start), and an invalid configuration refused by
 * `start()` before anything is written or sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import type { GetVariablesResponse, SetVariablesResponse } from '../../src/generated/ocpp-types.js';
import type { ChargePointOptions } from '../../src/charge-point.js';
import { DeviceModel, loadComponentConfig, parseSetArgument } from '../../src/device-model/index.js';
import { DEFAULT_CONFIG_DIR } from '../../src/charge-point-options.js';
import type { Selectable } from 'kysely';
import type { DeviceModelTable } from '../../src/store/schema.js';
import { rowRef } from '../../src/device-model/attribute-row.js';
import { copyExampleConfig, editVariable, setActualValue } from './config-copy.js';
import { registered } from './csms-helpers.js';
import { startHarness, TWO_EVSES, type Harness } from './station-harness.js';

const cv = (component: string, variable: string, variableInstance?: string) => ({
  component: { name: component },
  variable:
    variableInstance === undefined ? { name: variable } : { name: variable, instance: variableInstance },
});

/** Values as the CSMS reads them, by 'Component.Variable'. */
async function read(
  h: Harness,
  ...refs: Array<ReturnType<typeof cv>>
): Promise<Record<string, string | undefined>> {
  const response = (await h.csms.call(h.identity, 'GetVariables', {
    getVariableData: refs,
  })) as GetVariablesResponse;
  return Object.fromEntries(
    response.getVariableResult.map((r) => [`${r.component.name}.${r.variable.name}`, r.attributeValue]),
  );
}

async function write(h: Harness, values: Record<string, string>) {
  const response = (await h.csms.call(h.identity, 'SetVariables', {
    setVariableData: Object.entries(values).map(([path, attributeValue]) => {
      const [component = '', variable = ''] = path.split('.');
      return { ...cv(component, variable), attributeValue };
    }),
  })) as SetVariablesResponse;
  return response.setVariableResult.map((r) => r.attributeStatus);
}

/** Every device-model row of the station, as the database holds it (read with a second connection). */
function storedRows(file: string, stationId: string): unknown[] {
  const sqlite = new Database(file, { readonly: true });
  try {
    return sqlite
      .prepare(
        'SELECT * FROM device_model WHERE station_id = ? ORDER BY component, variable, attribute_type, evse_id, connector_id',
      )
      .all(stationId);
  } finally {
    sqlite.close();
  }
}

/** ChargePoint options of a station on its own copy of the config, with the test's fast reconnects. */
const onConfig = (configDir: string, set: string[] = []): Partial<ChargePointOptions> => ({
  deviceModel: {
    configDir,
    overrides: ['OCPPCommCtrlr.RetryBackOffWaitMinimum=1', ...set].map(parseSetArgument),
  },
});

test('B05.FR.10: values the CSMS set survive restart() and are read back over the wire', async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  assert.deepEqual(
    await write(h, {
      'OCPPCommCtrlr.OfflineThreshold': '123',
      'SecurityCtrlr.OrganizationName': 'Example Charging',
      'TxCtrlr.EVConnectionTimeOut': '77',
    }),
    ['Accepted', 'Accepted', 'Accepted'],
  );
  await h.restart();
  await h.csms.waitForCall('BootNotification');
  assert.deepEqual(
    await read(
      h,
      cv('OCPPCommCtrlr', 'OfflineThreshold'),
      cv('SecurityCtrlr', 'OrganizationName'),
      cv('TxCtrlr', 'EVConnectionTimeOut'),
    ),
    {
      'OCPPCommCtrlr.OfflineThreshold': '123',
      'SecurityCtrlr.OrganizationName': 'Example Charging',
      'TxCtrlr.EVConnectionTimeOut': '77',
    },
  );
  assert.deepEqual(h.csms.validationFailures, []);
});

test('a changed configuration applies at the next start; CSMS values it still allows are kept, others dropped with a warning', async (t) => {
  const configDir = await copyExampleConfig();
  const h = await startHarness({ station: onConfig(configDir) });
  t.after(() => h.close());
  await registered(h);
  assert.deepEqual(
    await write(h, { 'OCPPCommCtrlr.OfflineThreshold': '120', 'OCPPCommCtrlr.RetryBackOffRepeatTimes': '5' }),
    ['Accepted', 'Accepted'],
  );
  // The operator's new configuration: a new default, a new configured value, and a limit that the
  // CSMS's RetryBackOffRepeatTimes no longer meets.
  await editVariable(configDir, 'standardized/InternalCtrlr.json', 'NetworkConfigTimeout', (v) => {
    v.default = 90;
  });
  await editVariable(configDir, 'standardized/OCPPCommCtrlr.json', 'ResetRetries', setActualValue(7));
  await editVariable(configDir, 'standardized/OCPPCommCtrlr.json', 'OfflineThreshold', setActualValue(30));
  await editVariable(configDir, 'standardized/OCPPCommCtrlr.json', 'RetryBackOffRepeatTimes', (v) => {
    (v as unknown as { characteristics: Record<string, unknown> }).characteristics.maxLimit = 3;
  });
  await h.restart(onConfig(configDir));
  await h.csms.waitForCall('BootNotification');
  assert.deepEqual(
    await read(
      h,
      cv('InternalCtrlr', 'NetworkConfigTimeout'),
      cv('OCPPCommCtrlr', 'ResetRetries'),
      cv('OCPPCommCtrlr', 'OfflineThreshold'),
      cv('OCPPCommCtrlr', 'RetryBackOffRepeatTimes'),
    ),
    {
      'InternalCtrlr.NetworkConfigTimeout': '90',
      'OCPPCommCtrlr.ResetRetries': '7',
      // The CSMS's value wins over the configured one while it fits the configuration.
      'OCPPCommCtrlr.OfflineThreshold': '120',
      // 5 is above the new maxLimit 3: the configured 2 applies.
      'OCPPCommCtrlr.RetryBackOffRepeatTimes': '2',
    },
  );
  assert.equal(h.station.deviceModel.warnings.length, 1);
  assert.match(h.station.deviceModel.warnings[0] ?? '', /RetryBackOffRepeatTimes/);
  assert.deepEqual(h.csms.validationFailures, []);
});

test('an invalid configuration makes start() throw naming the file and variable; nothing is written or sent', async (t) => {
  const configDir = await copyExampleConfig();
  const h = await startHarness({ station: onConfig(configDir) });
  t.after(() => h.close());
  await registered(h);
  assert.deepEqual(await write(h, { 'OCPPCommCtrlr.OfflineThreshold': '120' }), ['Accepted']);
  const before = storedRows(h.dbPath, h.identity);
  const connections = h.csms.calls.filter((c) => c.action === 'BootNotification').length;

  const file = await editVariable(
    configDir,
    'standardized/OCPPCommCtrlr.json',
    'HeartbeatInterval',
    (v) => void (v.default = 'every minute'),
  );
  await assert.rejects(h.restart(onConfig(configDir)), (error: Error) => {
    assert.equal(error.name, 'DeviceModelConfigError');
    assert.ok(error.message.includes(file), error.message);
    assert.match(error.message, /OCPPCommCtrlr\.HeartbeatInterval/);
    return true;
  });
  assert.deepEqual(storedRows(h.dbPath, h.identity), before, 'the stored device model is untouched');
  // A start-up value that does not fit is refused the same way, naming the variable.
  await editVariable(
    configDir,
    'standardized/OCPPCommCtrlr.json',
    'HeartbeatInterval',
    (v) => void (v.default = 1800),
  );
  await assert.rejects(
    h.restart(onConfig(configDir, ['OCPPCommCtrlr.OfflineThreshold=soon'])),
    (error: Error) => {
      assert.equal(error.name, 'DeviceModelConfigError');
      assert.match(error.message, /OCPPCommCtrlr\.OfflineThreshold/);
      return true;
    },
  );
  assert.deepEqual(storedRows(h.dbPath, h.identity), before);
  assert.equal(
    h.csms.calls.filter((c) => c.action === 'BootNotification').length,
    connections,
    'no boot was attempted',
  );

  // Fixed, the station starts with everything it had.
  await h.restart(onConfig(configDir));
  await h.csms.waitForCall('BootNotification');
  assert.deepEqual(await read(h, cv('OCPPCommCtrlr', 'OfflineThreshold')), {
    'OCPPCommCtrlr.OfflineThreshold': '120',
  });
  assert.deepEqual(h.csms.validationFailures, []);
});

test('an invalid configuration on a new database writes no device model rows', async (t) => {
  const configDir = await copyExampleConfig();
  await editVariable(configDir, 'custom/EVSE_1.json', 'SupplyPhases', setActualValue('three'));
  const h = await startHarness({ noStart: true, station: onConfig(configDir) });
  t.after(() => h.close());
  await assert.rejects(h.station.start(), (error: Error) => {
    assert.match(error.message, /EVSE_1\.json/);
    assert.match(error.message, /EVSE@1\.SupplyPhases/);
    return true;
  });
  assert.deepEqual(storedRows(h.dbPath, h.identity), []);
  assert.deepEqual(h.csms.calls, []);
});

test("issue 9: a new station's boot stores only the values that differ from the configuration; a SetVariables value is one row more and survives restart", async (t) => {
  const h = await startHarness();
  t.after(() => h.close());
  await registered(h);
  const components = await loadComponentConfig(DEFAULT_CONFIG_DIR, TWO_EVSES, { evseStructure: 'adapt' });
  type Row = Selectable<DeviceModelTable>;
  const configured = (row: Parameters<typeof rowRef>[0]) => DeviceModel.configuredValue(components, rowRef(row));
  const booted = storedRows(h.dbPath, h.identity) as Row[];
  // The harness's start-up overrides, and what the host and the CSMS (BootNotification's interval)
  // set: a handful of rows, not a copy of the ~260 attributes of the configuration.
  assert.ok(booted.length < 20, `${booted.length} rows`);
  for (const row of booted) {
    if (row.value_source === 'config') assert.notEqual(row.value ?? undefined, configured(row), row.variable);
  }
  assert.ok(!booted.some((r) => r.variable === 'OfflineThreshold'));

  assert.deepEqual(await write(h, { 'OCPPCommCtrlr.OfflineThreshold': '123' }), ['Accepted']);
  const written = storedRows(h.dbPath, h.identity) as Row[];
  assert.equal(written.length, booted.length + 1);
  assert.deepEqual(
    written
      .filter((r) => r.variable === 'OfflineThreshold')
      .map((r) => [r.component, r.attribute_type, r.value, r.value_source]),
    [['OCPPCommCtrlr', 'Actual', '123', 'csms']],
  );

  await h.restart();
  await registered(h);
  assert.deepEqual(await read(h, cv('OCPPCommCtrlr', 'OfflineThreshold')), {
    'OCPPCommCtrlr.OfflineThreshold': '123',
  });
  // A GetVariables of an attribute without a row reads the configuration.
  assert.deepEqual(await read(h, cv('TxCtrlr', 'EVConnectionTimeOut')), {
    'TxCtrlr.EVConnectionTimeOut': DeviceModel.configuredValue(components, {
      component: 'TxCtrlr',
      variable: 'EVConnectionTimeOut',
      attribute: 'Actual',
    }),
  });
  assert.equal((storedRows(h.dbPath, h.identity) as Row[]).length, written.length);
  assert.deepEqual(h.csms.validationFailures, []);
});
