/**
 * A real FTP server for transfer tests (ftp-srv on 127.0.0.1, port 0, passive mode on 127.0.0.1),
 * serving a temporary directory: plain FTP, or explicit FTPS (AUTH TLS) with a certificate the test
 * generates. It checks one user and password, records every login, RETR and STOR, and can hold the
 * next login back (a transfer in progress when the station stops).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FtpSrv } from 'ftp-srv';
import type { PemKeyPair } from '../../src/testing/test-pki.js';

export const FTP_USER = 'fwuser';
/** Must never show in an error, an event or a log of the station. */
export const FTP_PASSWORD = 'FTPSECRET-PASSWORD-42';

export interface FtpServer {
  /** `ftp(s)://fwuser:FTPSECRET…@127.0.0.1:<port>/<name>` */
  url(name: string, options?: { password?: string }): string;
  /** The server's directory. */
  dir: string;
  /** Logins tried (user names), in order. */
  logins: string[];
  /** RETR paths, with `!` before a failed one. */
  retrieved: string[];
  /** STOR paths that completed. */
  stored: string[];
  /** Content of a file in the server's directory. */
  read(name: string): Promise<Buffer>;
  /** The next login waits until `release` (or the server closes); `started` once it arrived. */
  holdNextLogin(): { started: Promise<void>; release(): void };
  close(): Promise<void>;
}

const noop = () => undefined;
/** A bunyan-like logger that says nothing. */
const SILENT: Record<string, unknown> = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, fatal: noop };
SILENT.child = () => SILENT;

/**
 * @example
 * const ftp = await startFtpServer({ 'fw.bin': image }, pki.server); // FTPS
 * ftp.url('fw.bin'); // 'ftps://fwuser:...@127.0.0.1:40123/fw.bin'
 */
export async function startFtpServer(files: Record<string, Buffer>, tls?: PemKeyPair): Promise<FtpServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-ftp-'));
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  const srv = new FtpSrv({
    url: 'ftp://127.0.0.1:0',
    pasv_url: '127.0.0.1',
    log: SILENT,
    ...(tls ? { tls: { key: tls.key, cert: tls.cert } } : {}),
  });
  const logins: string[] = [];
  const retrieved: string[] = [];
  const stored: string[] = [];
  const releases = new Set<() => void>();
  let hold: { started: () => void; released: Promise<void> } | null = null;
  srv.on('login', ({ connection, username, password }, resolve, reject) => {
    logins.push(username);
    connection.on('RETR', (error: unknown, file: string) => {
      retrieved.push(error ? `!${String(error)}` : path.relative(dir, file));
    });
    connection.on('STOR', (error: unknown, file: string) => {
      if (!error) stored.push(path.relative(dir, file));
    });
    const answer = () => (username === FTP_USER && password === FTP_PASSWORD ? resolve({ root: dir }) : reject(new Error('login incorrect')));
    const current = hold;
    hold = null;
    if (!current) return answer();
    current.started();
    void current.released.then(answer);
  });
  await srv.listen();
  const { port } = (srv as unknown as { server: { address(): AddressInfo } }).server.address();
  const scheme = tls ? 'ftps' : 'ftp';
  return {
    url: (name, options = {}) =>
      `${scheme}://${FTP_USER}:${encodeURIComponent(options.password ?? FTP_PASSWORD)}@127.0.0.1:${port}/${name}`,
    dir,
    logins,
    retrieved,
    stored,
    read: (name) => readFile(path.join(dir, name)),
    holdNextLogin() {
      let started!: () => void;
      let release!: () => void;
      const startedP = new Promise<void>((resolve) => (started = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      releases.add(release);
      hold = { started, released };
      return { started: startedP, release };
    },
    async close() {
      for (const release of releases) release();
      await srv.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
