import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataEnumType, VariableCharacteristicsType } from '../../src/generated/ocpp-types.js';
import { checkValue, csvEntries, validForDataType } from '../../src/device-model/value-check.js';

const of = (
  dataType: DataEnumType,
  extra: Partial<VariableCharacteristicsType> = {},
): VariableCharacteristicsType => ({
  dataType,
  supportsMonitoring: false,
  ...extra,
});
const accepts = (raw: string, c: VariableCharacteristicsType, stored = raw, options = {}): void => {
  assert.deepEqual(
    checkValue(raw, c, options),
    { ok: true, value: stored },
    `${c.dataType} should accept '${raw}'`,
  );
};
const refuses = (
  raw: string,
  c: VariableCharacteristicsType,
  reasonCode: string,
  message: RegExp,
  options = {},
): void => {
  const result = checkValue(raw, c, options);
  assert.equal(result.ok, false, `${c.dataType} should refuse '${raw}'`);
  if (!result.ok) {
    assert.equal(result.reasonCode, reasonCode, raw);
    assert.match(result.message, message);
  }
};

test('boolean: true/false in any case, stored lower-case', () => {
  accepts('true', of('boolean'));
  accepts('FALSE', of('boolean'), 'false');
  accepts('True', of('boolean'), 'true');
  for (const bad of ['', '1', 'yes', 'true '])
    refuses(bad, of('boolean'), 'InvalidValue', /is not a boolean/);
});

test('integer: 32-bit, no leading zeros or plus sign (Part 2 §2.1.4), minLimit/maxLimit', () => {
  for (const ok of ['0', '300', '-5', '2147483647', '-2147483648']) accepts(ok, of('integer'));
  for (const bad of ['', '01', '+1', '1.0', '300.1', '1e3', 'abc', 'true', '-0', ' 1']) {
    refuses(bad, of('integer'), 'InvalidValue', /is not an integer/);
  }
  refuses('2147483648', of('integer'), 'InvalidValue', /32-bit integer range/);
  const limited = of('integer', { minLimit: 1, maxLimit: 3 });
  accepts('1', limited);
  accepts('3', limited);
  refuses('0', limited, 'ValueTooLow', /0 is below minLimit 1/);
  refuses('4', limited, 'ValueTooHigh', /4 is above maxLimit 3/);
  accepts('4', limited, '4', { limits: false });
});

test('decimal: plain decimal notation; at most six decimal places when strict', () => {
  for (const ok of ['0', '42', '-1.5', '300.1', '0.000001']) accepts(ok, of('decimal'), ok, { strict: true });
  accepts('0.1234567', of('decimal'));
  refuses('0.1234567', of('decimal'), 'InvalidValue', /more than six decimal places/, { strict: true });
  for (const bad of ['', '.5', '1.', '1e3', 'NaN', 'true', '1,5'])
    refuses(bad, of('decimal'), 'InvalidValue', /not a decimal/);
  refuses('22000.5', of('decimal', { maxLimit: 22000 }), 'ValueTooHigh', /above maxLimit 22000/);
});

test('MinSet/MaxSet bounds apply on top of the limits', () => {
  const c = of('integer', { minLimit: 0, maxLimit: 1000 });
  accepts('500', c, '500', { setBounds: { min: 200, max: 500 } });
  refuses('600', c, 'ValueTooHigh', /above the MaxSet value 500/, { setBounds: { min: 200, max: 500 } });
  refuses('100', c, 'ValueTooLow', /below the MinSet value 200/, { setBounds: { min: 200 } });
});

test('dateTime: RFC 3339 with offset, a real calendar date, three fraction digits when strict', () => {
  for (const ok of [
    '2025-01-31T12:00:00Z',
    '2019-12-19T16:39:57+01:00',
    '2019-04-12T23:20:50.52Z',
    '2024-02-29T00:00:00.123-05:30',
  ]) {
    accepts(ok, of('dateTime'), ok, { strict: true });
  }
  accepts('2025-01-31T12:00:00.123456Z', of('dateTime'));
  refuses('2025-01-31T12:00:00.1234Z', of('dateTime'), 'InvalidValue', /more than three fractional/, {
    strict: true,
  });
  for (const bad of [
    '',
    '2025-01-31',
    '2025-01-31T12:00:00',
    '2025-02-30T12:00:00Z',
    '2025-01-31 12:00:00Z',
    'true',
    '300',
  ]) {
    refuses(bad, of('dateTime'), 'InvalidValue', /not an RFC 3339 date-time/);
  }
});

test('string: maxLimit and minLimit are lengths in code points', () => {
  accepts('', of('string'));
  accepts('EUR', of('string', { maxLimit: 3 }));
  accepts('€€€', of('string', { maxLimit: 3 }));
  refuses('EURO', of('string', { maxLimit: 3 }), 'ValueOutOfRange', /length 4 exceeds maxLimit 3/);
  refuses(
    'short',
    of('string', { minLimit: 7, maxLimit: 37 }),
    'ValueOutOfRange',
    /length 5 is below minLimit 7/,
  );
});

test('OptionList: exactly one entry of the valuesList', () => {
  const c = of('OptionList', { valuesList: 'LRU,LFU,FIFO,CUSTOM' });
  accepts('FIFO', c);
  for (const bad of ['', 'fifo', 'LRU,LFU', 'Random'])
    refuses(bad, c, 'InvalidValue', /is not one of LRU, LFU, FIFO, CUSTOM/);
});

test('MemberList and SequenceList: a (possibly empty) subset without repeats', () => {
  const members = of('MemberList', { valuesList: 'EVConnected,Authorized,PowerPathClosed,EnergyTransfer' });
  accepts('', members);
  accepts('Authorized', members);
  accepts('EnergyTransfer,EVConnected', members);
  accepts('EVConnected, Authorized', members);
  refuses(
    'Authorized,ParkingBayOccupancy',
    members,
    'InvalidValue',
    /'ParkingBayOccupancy' not in the valuesList/,
  );
  refuses('Authorized,Authorized', members, 'InvalidValue', /'Authorized' is listed twice/);
  const sequence = of('SequenceList', { valuesList: '1,2,3', maxLimit: 3 });
  accepts('2,1', sequence);
  refuses('1,2,3', sequence, 'ValueOutOfRange', /length 5 exceeds maxLimit 3/);
  refuses('4', sequence, 'InvalidValue', /'4' not in the valuesList/);
});

test('csvEntries trims entries and reads "" as the empty list', () => {
  assert.deepEqual(csvEntries('Available, Occupied ,Faulted'), ['Available', 'Occupied', 'Faulted']);
  assert.deepEqual(csvEntries(''), []);
  assert.deepEqual(csvEntries('  '), []);
});

test('validForDataType: the format and valuesList of the dataType, limits aside ("" is a string and an empty list, nothing else)', () => {
  const c = of;
  const cases: Array<[string, VariableCharacteristicsType, boolean]> = [
    ['', c('string', { minLimit: 7 }), true],
    ['', c('MemberList', { valuesList: 'A,B' }), true],
    ['', c('SequenceList', { valuesList: 'A,B' }), true],
    ['', c('OptionList', { valuesList: 'A,B' }), false],
    ['', c('integer'), false],
    ['', c('decimal'), false],
    ['', c('boolean'), false],
    ['', c('dateTime'), false],
    ['500', c('integer', { maxLimit: 10 }), true],
    ['C', c('MemberList', { valuesList: 'A,B' }), false],
    ['2025-01-01T00:00:00.000Z', c('dateTime'), true],
  ];
  for (const [value, characteristics, valid] of cases) {
    assert.equal(
      validForDataType(value, characteristics),
      valid,
      `${JSON.stringify(value)} ${characteristics.dataType}`,
    );
  }
});
