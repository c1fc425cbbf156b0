/**
 * Which locations the station transfers with (src/firmware/transfer-protocols.ts) and how an ftp(s)
 * URL names its remote file (src/firmware/ftp-transfer.ts): plain functions, tables of cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ftpPath } from '../../src/firmware/ftp-transfer.js';
import { TransferError } from '../../src/firmware/transfer-error.js';
import { offeredTransferProtocols, refusedLocation, transferProtocol } from '../../src/firmware/transfer-protocols.js';

const model = (value: string | undefined) => ({ get: () => value });

test('transferProtocol: the protocol a location names by its scheme', () => {
  const cases: Array<[string, string | null]> = [
    ['ftp://u:p@h/fw.bin', 'FTP'],
    ['FTPS://h:2121/x', 'FTPS'],
    ['http://h/x', 'HTTP'],
    ['https://h/x', 'HTTPS'],
    ['sftp://h/x', 'SFTP'],
    ['file:///etc/passwd', null],
    ['not a url', null],
  ];
  for (const [location, protocol] of cases) assert.equal(transferProtocol(location), protocol, location);
});

test('offeredTransferProtocols: FileTransferProtocols restricted to what the library implements; all of those without the variable', () => {
  assert.deepEqual(offeredTransferProtocols(model('FTP,FTPS,HTTP,HTTPS')), ['FTP', 'FTPS', 'HTTP', 'HTTPS']);
  assert.deepEqual(offeredTransferProtocols(model('HTTPS, sftp ,ftp')), ['FTP', 'HTTPS']);
  assert.deepEqual(offeredTransferProtocols(model('SFTP')), []);
  assert.deepEqual(offeredTransferProtocols(model(undefined)), ['FTP', 'FTPS', 'HTTP', 'HTTPS']);
});

test('refusedLocation: why a location is refused (InvalidURL), or null; never the password', () => {
  const dm = model('HTTP,HTTPS');
  assert.equal(refusedLocation(dm, 'https://u:pw@h/x'), null);
  assert.equal(refusedLocation(dm, 'ftp://u:pw@h/x'), 'protocol FTP is not one of FileTransferProtocols (HTTP,HTTPS)');
  assert.equal(refusedLocation(dm, 'gopher://h/x'), 'scheme gopher is not a file transfer protocol (HTTP,HTTPS)');
  assert.equal(refusedLocation(dm, 'ftp//missing-colon'), 'scheme (not a URL) is not a file transfer protocol (HTTP,HTTPS)');
  assert.equal(refusedLocation(model('FTP,FTPS,HTTP,HTTPS,SFTP'), 'sftp://h/x'), 'protocol SFTP is not one of FileTransferProtocols (FTP,FTPS,HTTP,HTTPS)');
});

test('ftpPath: relative to the login directory, percent-decoded (RFC 1738)', () => {
  assert.equal(ftpPath(new URL('ftp://h/fw.bin')), 'fw.bin');
  assert.equal(ftpPath(new URL('ftp://h/logs/a%20b.txt')), 'logs/a b.txt');
  assert.equal(ftpPath(new URL('ftp://h/incoming/')), 'incoming/');
  assert.equal(ftpPath(new URL('ftp://h')), '');
  assert.equal(ftpPath(new URL('ftp://h/%2Fabs/fw.bin')), '/abs/fw.bin');
});

test('TransferError: message and url carry the location without its password', () => {
  const error = new TransferError('ftps://user:S3CRET@h:21/fw.bin', '530 login incorrect');
  assert.equal(error.url, 'ftps://user:***@h:21/fw.bin');
  assert.equal(error.message, 'transfer of ftps://user:***@h:21/fw.bin failed: 530 login incorrect');
  assert.ok(!JSON.stringify(error).includes('S3CRET'));
});
