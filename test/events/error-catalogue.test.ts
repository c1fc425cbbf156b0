/**
 * The error catalogue (docs/errors.md, "Error codes") and the code of every error class: the doc's
 * table and ERROR_CATALOGUE list the same codes with the same severities; every error class
 * exported from src/index.ts carries a listed code; every error class of src/ (the CLI's aside) is
 * exported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as library from '../../src/index.js';
import { RPC_ERROR_CODES } from '../../src/rpc/errors.js';
import { CliUsageError } from '../../src/cli/cli-options.js';
import { CommandSyntaxError } from '../../src/cli/console-commands.js';
import { HardwareError } from '../../src/cli/simulated-hardware.js';
import { describeError, ERROR_CATALOGUE, errorCodeOf } from '../../src/events/error-catalogue.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The rows of the "Error codes" table: code → severity. */
async function documented(): Promise<Map<string, string>> {
  const text = await readFile(path.join(ROOT, 'docs/errors.md'), 'utf8');
  const start = text.indexOf('\n## Error codes\n');
  assert.ok(start >= 0, 'docs/errors.md has a section "## Error codes"');
  const end = text.indexOf('\n## ', start + 1);
  const rows = new Map<string, string>();
  for (const line of text.slice(start, end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const code = /^`([A-Za-z_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!code) continue;
    assert.ok(!rows.has(code), `${code} is listed once`);
    rows.set(code, cells[2] ?? '');
  }
  return rows;
}

/** One instance of each error class (new classes must be added here, with a code in the doc). */
const SAMPLES: Record<string, () => Error> = {
  DeviceModelConfigError: () => new library.DeviceModelConfigError([{ message: 'x' }]),
  DeviceModelWarning: () => new library.DeviceModelWarning('x'),
  SettingValueError: () =>
    new library.SettingValueError('OCPPCommCtrlr.HeartbeatInterval', '-1', 300, 'negative'),
  StoreError: () => new library.StoreError('x.db', 'not a database'),
  UnboundSystemError: () => new library.UnboundSystemError(),
  NotDeliveredError: () => new library.NotDeliveredError('Heartbeat', 'offline'),
  StoredMessageError: () => new library.StoredMessageError('message_queue', 1, 'payload_json', 'is not JSON'),
  LocalSendError: () => new library.LocalSendError('Heartbeat', 1, new Error('x')),
  QueueBoundDropError: () => new library.QueueBoundDropError(10, 2),
  CertificateFormatError: () => new library.CertificateFormatError('certificateChain: not PEM'),
  CertificateInstallError: () =>
    new library.CertificateInstallError('CSMSRootCertificate', 'ca.pem', 'Rejected', 'not valid now'),
  TransferError: () => new library.TransferError('http://example.com/fw.bin', 'HTTP 404'),
  MessageDiscardedError: () => new library.MessageDiscardedError('Heartbeat', 'm-1', 3, new Error('x')),
  VariablePathError: () => new library.VariablePathError('X', 'no variable'),
  NetworkProfileError: () => new library.NetworkProfileError('x'),
  RestoreError: () => new library.RestoreError('evse_snapshot', '1', 'bad JSON'),
  PersistenceError: () => new library.PersistenceError(1, new Error('SQLITE_FULL')),
  CallbackError: () => new library.CallbackError('resetCallback', new Error('x')),
  JournalStoppedError: () => new library.JournalStoppedError(),
  SmartChargingInputError: () => new library.SmartChargingInputError('limit', 'negative'),
  TransportError: () => new library.TransportError('network', 'connection failed', { code: 'ECONNREFUSED' }),
  TransportConfigError: () => new library.TransportConfigError('SecurityCtrlr.Identity', 'is empty'),
  OcppRpcError: () => new library.OcppRpcError('NotSupported', 'x'),
  RpcTimeoutError: () => new library.RpcTimeoutError('Heartbeat', 'm-1', 30_000),
  RpcConnectionClosedError: () => new library.RpcConnectionClosedError('Heartbeat', 'm-1', true),
  RpcInvalidMessageError: () =>
    new library.RpcInvalidMessageError('incoming-result', 'Heartbeat', 'm-1', 'FormatViolation', 'x'),
};

test('docs/errors.md lists exactly the codes of ERROR_CATALOGUE, with the same severities', async () => {
  const rows = await documented();
  assert.deepEqual([...rows.keys()].sort(), Object.keys(ERROR_CATALOGUE).sort());
  for (const [code, severity] of Object.entries(ERROR_CATALOGUE))
    assert.equal(rows.get(code), severity, code);
});

test('every error class exported from src/index.ts has a code listed in docs/errors.md', async () => {
  const rows = await documented();
  const classes = Object.entries(library).filter(
    ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
  );
  assert.ok(classes.length >= 20, 'the error classes are found');
  for (const [name, value] of classes) {
    const sample = SAMPLES[name];
    assert.ok(sample, `${name}: add a sample to SAMPLES (and its code to docs/errors.md)`);
    const error = sample();
    assert.ok(error instanceof (value as new (...args: never[]) => Error), `${name}: the sample is one`);
    const code = errorCodeOf(error);
    assert.ok(code, `${name} has a catalogue code`);
    assert.ok(rows.has(code), `${name}'s code ${code} is listed in docs/errors.md`);
    assert.equal(describeError(error).code, code, `${name}: error events carry it`);
  }
  // Every kind of TransportError has its own code (docs/errors.md, connection failures).
  for (const kind of [
    'http-status',
    'subprotocol',
    'tls-server-certificate',
    'tls-version',
    'tls',
    'timeout',
    'network',
    'aborted',
  ] as const) {
    const code = errorCodeOf(new library.TransportError(kind, 'x'));
    assert.ok(code && rows.has(code), `TransportError ${kind}: ${code}`);
  }
  // So does every OCPP-J code an OcppRpcError can carry.
  for (const code of RPC_ERROR_CODES) {
    assert.ok(rows.has(errorCodeOf(new library.OcppRpcError(code, 'x')) ?? ''), code);
  }
  // The CLI's own errors (not part of the library's API) are listed too.
  for (const error of [new CliUsageError('x'), new CommandSyntaxError('x'), new HardwareError('x')]) {
    assert.ok(rows.has(errorCodeOf(error) ?? ''), error.name);
  }
});

test('every error class of src/ (outside the CLI) is exported from src/index.ts', async () => {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        // The CLI's errors and the visualizer's (subpath `./visualizer`) are not in the barrel.
        if (!['cli', 'generated', 'visualizer'].includes(entry.name)) await walk(full);
      } else if (entry.name.endsWith('.ts')) files.push(full);
    }
  };
  await walk(path.join(ROOT, 'src'));
  const declared: string[] = [];
  for (const file of files) {
    for (const match of (await readFile(file, 'utf8')).matchAll(/export class (\w+) extends Error\b/g))
      declared.push(match[1]!);
  }
  assert.ok(declared.length >= 20);
  const missing = declared.filter((name) => !(name in library));
  assert.deepEqual(missing, [], 'exported from src/index.ts');
});

test('describeError: library errors, RPC issues and foreign errors', () => {
  const store = describeError(new library.StoreError('x.db', 'not a database'));
  assert.deepEqual(store, {
    code: 'ERR_STORE',
    severity: 'fatal',
    message: 'x.db: not a database',
    context: { file: 'x.db' },
  });
  const transport = describeError(new library.TransportError('http-status', 'HTTP 401', { httpStatus: 401 }));
  assert.equal(transport.code, 'ERR_CONNECT_HTTP_STATUS');
  assert.equal(transport.severity, 'warning');
  assert.equal(transport.context['kind'], 'http-status');
  const issue = describeError({ kind: 'unknown-response', messageId: 'm-9', text: '[3,"m-9",{}]' });
  assert.deepEqual(issue, {
    code: 'ERR_RPC_UNKNOWN_RESPONSE',
    severity: 'warning',
    message: 'unknown-response',
    context: { kind: 'unknown-response', messageId: 'm-9', text: '[3,"m-9",{}]' },
  });
  const foreign = describeError(
    Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
  );
  assert.equal(foreign.code, 'ERR_INTERNAL');
  assert.equal(foreign.context['code'], 'SQLITE_FULL');
  assert.equal(describeError('a string').code, 'ERR_INTERNAL');
  assert.equal(
    describeError(new library.NotDeliveredError('Heartbeat', 'offline'), { fatal: true }).severity,
    'fatal',
  );
});

test('the visualizer subpath error has a catalogue code too', async () => {
  const { RecordingError } = await import('../../src/visualizer/index.js');
  const rows = await documented();
  const code = errorCodeOf(new RecordingError('notes.txt:2: not JSON'));
  assert.equal(code, 'ERR_RECORDING');
  assert.ok(rows.has(code));
});
