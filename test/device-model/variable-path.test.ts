import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatVariablePath,
  parseSetArgument,
  parseVariablePath,
  VariablePathError,
} from '../../src/device-model/variable-path.js';

test('the examples of the CLI grammar parse to refs', () => {
  assert.deepEqual(parseSetArgument('TxCtrlr.TxStartPoint=Authorized'), {
    ref: { component: 'TxCtrlr', variable: 'TxStartPoint' },
    value: 'Authorized',
  });
  assert.deepEqual(parseSetArgument('OCPPCommCtrlr.MessageAttempts[TransactionEvent]=3'), {
    ref: { component: 'OCPPCommCtrlr', variable: 'MessageAttempts', variableInstance: 'TransactionEvent' },
    value: '3',
  });
  assert.deepEqual(parseSetArgument('EVSE@1.Power:MaxSet=22000'), {
    ref: { component: 'EVSE', evseId: 1, variable: 'Power', attribute: 'MaxSet' },
    value: '22000',
  });
});

test('every optional part: component instance, connector, variable instance, attribute', () => {
  assert.deepEqual(parseVariablePath('Fan[front]@2/3.Speed[rpm]:Target'), {
    component: 'Fan',
    componentInstance: 'front',
    evseId: 2,
    connectorId: 3,
    variable: 'Speed',
    variableInstance: 'rpm',
    attribute: 'Target',
  });
  // Instances may hold dots and dashes; the attribute is matched case-insensitively.
  assert.deepEqual(
    parseVariablePath(
      'CustomizationCtrlr.CustomImplementationEnabled[org.openchargealliance.costmsg]:actual',
    ),
    {
      component: 'CustomizationCtrlr',
      variable: 'CustomImplementationEnabled',
      variableInstance: 'org.openchargealliance.costmsg',
      attribute: 'Actual',
    },
  );
});

test('the value is everything after the first =, and may be empty or hold =', () => {
  assert.equal(parseSetArgument('AuthCtrlr.MasterPassGroupId=').value, '');
  assert.equal(parseSetArgument('InternalCtrlr.WebsocketPingPayload=a=b==c').value, 'a=b==c');
});

test('bad paths throw a VariablePathError naming the path and the problem', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /expected a component name/],
    ['TxCtrlr', /missing '\.Variable'/],
    ['TxCtrlr.', /expected a variable name after '\.'/],
    ['TxCtrlr:TxStartPoint', /expected '\.' before the variable/],
    ['EVSE@0.Power', /EVSE id after @ must be a positive integer, found '0'/],
    ['EVSE@x.Power', /EVSE id after @ must be a positive integer/],
    ['Connector@1/.Type', /connector id after \/ must be a positive integer/],
    ['Fan[front.Speed', /'\[' after component 'Fan' has no closing '\]'/],
    ['Fan[].Speed', /empty instance/],
    [
      'EVSE@1.Power:Maximum',
      /unknown attribute 'Maximum' \(expected one of Actual, Target, MinSet, MaxSet\)/,
    ],
    ['TxCtrlr.TxStartPoint[a]b', /unexpected 'b' after the variable/],
  ];
  for (const [path, reason] of cases) {
    assert.throws(
      () => parseVariablePath(path),
      (error: unknown) => {
        assert.ok(error instanceof VariablePathError, path);
        assert.equal(error.path, path);
        assert.match(
          error.message,
          new RegExp(`^Invalid variable path '${path.replace(/[[\]().*+?^$|\\]/g, '\\$&')}': `),
        );
        assert.match(error.message, reason);
        return true;
      },
    );
  }
  assert.throws(
    () => parseSetArgument('TxCtrlr.TxStartPoint'),
    /Invalid variable path 'TxCtrlr\.TxStartPoint': missing '=value'/,
  );
});

test('formatVariablePath is the inverse of parseVariablePath', () => {
  for (const path of [
    'TxCtrlr.TxStartPoint',
    'Fan[front]@2/3.Speed[rpm]:Target',
    'EVSE@1.Power:MaxSet',
    'OCPPCommCtrlr.FieldLength[Get15118EVCertificateResponse.exiResponse]',
  ]) {
    assert.equal(formatVariablePath(parseVariablePath(path)), path);
  }
});
