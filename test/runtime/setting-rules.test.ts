import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VariableRef } from '../../src/runtime/ports.js';
import {
  NUMBER_RULES,
  readBooleanSetting,
  readSetting,
  settingProblem,
  settingsValidator,
  storedSettingProblems,
  type SettingValueError,
} from '../../src/runtime/setting-rules.js';
import { readSettings } from '../../src/runtime/settings.js';
import { exampleComponents, openExample, setByCsms } from '../device-model/helpers.js';

/** A device model read port over fixed values ("Component.Variable[Instance]" -> value). */
function values(entries: Record<string, string>) {
  return {
    get: (ref: VariableRef) =>
      entries[
        `${ref.component}.${ref.variable}${ref.variableInstance === undefined ? '' : `[${ref.variableInstance}]`}`
      ],
  };
}

test('readSetting: unset gives the default; out of bounds the nearest bound, unreadable the default, each reported; never throws', () => {
  const warnings: SettingValueError[] = [];
  const dm = values({
    'OCPPCommCtrlr.WebSocketPingInterval': '-1',
    'OCPPCommCtrlr.HeartbeatInterval': '0',
    'OCPPCommCtrlr.MessageTimeout[Default]': '99999999',
    'OCPPCommCtrlr.OfflineThreshold': 'soon',
    'OCPPCommCtrlr.QueueAllMessages': 'maybe',
  });
  const settings = readSettings(dm, (w) => warnings.push(w));
  assert.equal(settings.webSocketPingIntervalS, 0);
  assert.equal(settings.heartbeatIntervalS, 1);
  assert.equal(settings.messageTimeoutS, 2_147_483);
  assert.equal(settings.offlineThresholdS, 60);
  assert.equal(settings.queueAllMessages, false);
  assert.equal(settings.retryBackOffWaitMinimumS, 1, 'unset: the default, not reported');
  assert.deepEqual(
    warnings.map((w) => [w.variable, w.value, w.used]),
    [
      ['OCPPCommCtrlr.HeartbeatInterval', '0', 1],
      ['OCPPCommCtrlr.OfflineThreshold', 'soon', 60],
      ['OCPPCommCtrlr.MessageTimeout[Default]', '99999999', 2_147_483],
      ['OCPPCommCtrlr.QueueAllMessages', 'maybe', false],
      ['OCPPCommCtrlr.WebSocketPingInterval', '-1', 0],
    ],
  );
  assert.equal(readSetting(values({}), NUMBER_RULES.supplyVoltage), 230);
  assert.equal(readBooleanSetting(values({ 'X.Y': 'TRUE' }), { component: 'X', variable: 'Y' }, false), true);
});

test('B05.FR.07/08: the rules answer a CSMS write with a reason code and say why', () => {
  const cases: Array<[VariableRef, string, string | undefined]> = [
    [{ component: 'OCPPCommCtrlr', variable: 'WebSocketPingInterval' }, '-1', 'ValueTooLow'],
    [{ component: 'ocppcommctrlr', variable: 'websocketpinginterval' }, '-1', 'ValueTooLow'],
    [{ component: 'OCPPCommCtrlr', variable: 'WebSocketPingInterval' }, '2147484', 'ValueTooHigh'],
    [{ component: 'OCPPCommCtrlr', variable: 'WebSocketPingInterval' }, '0', undefined],
    [
      { component: 'OCPPCommCtrlr', variable: 'MessageAttempts', variableInstance: 'TransactionEvent' },
      '-1',
      'ValueTooLow',
    ],
    [{ component: 'OCPPCommCtrlr', variable: 'MessageAttempts', variableInstance: 'Other' }, '-1', undefined],
    [{ component: 'SmartChargingCtrlr', variable: 'LimitChangeSignificance' }, '2.5', undefined],
    [
      { component: 'SmartChargingCtrlr', variable: 'CompositeScheduleDefaultNumberPhases' },
      '4',
      'ValueTooHigh',
    ],
    [{ component: 'TxCtrlr', variable: 'TxStopPoint' }, ' ', 'InvalidValue'],
    [{ component: 'TxCtrlr', variable: 'TxStopPoint' }, 'EVConnected', undefined],
    [{ component: 'ClockCtrlr', variable: 'TimeZone' }, '', undefined],
    [{ component: 'ClockCtrlr', variable: 'TimeZone' }, 'Nowhere/Town', 'InvalidValue'],
    [{ component: 'SecurityCtrlr', variable: 'BasicAuthPassword' }, 'short', 'InvalidValue'],
    [{ component: 'OCPPCommCtrlr', variable: 'HeartbeatInterval', attribute: 'Target' }, '0', undefined],
    [{ component: 'ChargingStation', variable: 'PhaseRotation' }, 'anything', undefined],
  ];
  for (const [ref, value, reasonCode] of cases) {
    assert.equal(settingProblem(ref, value)?.reasonCode, reasonCode, `${ref.variable}=${value}`);
  }
  assert.match(
    settingProblem({ component: 'OCPPCommCtrlr', variable: 'WebSocketPingInterval' }, '-1')?.additionalInfo ??
      '',
    /WebSocketPingInterval -1 is below 0: Part 4 §8.4/,
  );
});

test('B05.FR.08: with a component config that declares no limits, the validator still refuses a value that would break the station', async (t) => {
  const components = (await exampleComponents()).map((c) => ({
    ...c,
    variables: c.variables.map((v) => {
      const { minLimit: _min, maxLimit: _max, ...characteristics } = v.characteristics;
      return { ...v, characteristics };
    }),
  }));
  const { model, store } = await openExample({ components });
  t.after(() => store.close());
  assert.equal(
    await setByCsms(model, 'OCPPCommCtrlr', 'WebSocketPingInterval', '-1'),
    'Accepted',
    'without the rule',
  );
  model.addValidator(settingsValidator);
  const [result] = await model
    .setVariables({
      setVariableData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'WebSocketPingInterval' },
          attributeValue: '-2',
        },
      ],
    })
    .then((r) => r.setVariableResult);
  assert.equal(result?.attributeStatus, 'Rejected');
  assert.equal(result?.attributeStatusInfo?.reasonCode, 'ValueTooLow');
  assert.match(result?.attributeStatusInfo?.additionalInfo ?? '', /negative values are not allowed/);
  // What an older run stored is found at start, as its reader reports it.
  assert.deepEqual(
    storedSettingProblems(model).map((p) => [p.variable, p.value, p.used]),
    [['OCPPCommCtrlr.WebSocketPingInterval', '-1', 0]],
  );
});

test('a password that breaks the rules is never shown in a report', () => {
  const problems = storedSettingProblems(values({ 'SecurityCtrlr.BasicAuthPassword': 'secret' }));
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.value, '(hidden)');
  assert.ok(!problems[0]?.message.includes('secret'));
});
