/**
 * The built CLI's single-file bundle (`npm run build` → dist/bundle/cli-app.mjs,
 * scripts/build-bundle.ts): the bundle is built into a temporary directory inside the checkout (its
 * external packages resolve from node_modules), and a Node.js running it boots against the strict
 * ocpp-rpc test CSMS over a real websocket with a real SQLite file, and with its embedded CSMS (a
 * chunk loaded on use); `main.js`' choice of the bundle. The CommonJS bundle run with the V8 code
 * cache the build wrote (src/cli/cli-code-cache.ts) does the same, and runs without a usable cache.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildBundle, writeCodeCache } from '../../scripts/build-bundle.js';
import { cliBundlePath, usableBundle } from '../../src/cli/cli-bundle.js';
import { codeCachePaths, usableCodeCache } from '../../src/cli/cli-code-cache.js';
import { startTestCsms, type TestCsms } from '../../src/testing/index.js';
import { is, killAll, REPO_ROOT, spawnCli, WAIT_MS, type CliProcess } from './helpers/cli-process.js';

const processes: CliProcess[] = [];
const servers: TestCsms[] = [];
let dir: string;
let bundle: string;

before(async () => {
  await mkdir(path.join(REPO_ROOT, '.tmp'), { recursive: true });
  dir = await mkdtemp(path.join(REPO_ROOT, '.tmp', 'bundle-test-'));
  bundle = await buildBundle(path.join(dir, 'bundle'));
  await writeCodeCache(path.join(dir, 'bundle'));
});
after(async () => {
  await killAll(processes);
  await Promise.all(servers.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

/** Runs the bundle as `main.js` does: its runCli on this process's io. */
function fromBundle(args: string[]): CliProcess {
  const script = [
    'const m = await import(process.env.OCPP_TEST_BUNDLE);',
    'm.exitWhenDone(await m.runCli(process.argv.slice(1), m.processCliIo()));',
  ].join('\n');
  const p = spawnCli(['--json', ...args], {
    command: [process.execPath, '--input-type=module', '-e', script, '--'],
    env: { ...process.env, OCPP_TEST_BUNDLE: pathToFileURL(bundle).href },
  });
  processes.push(p);
  return p;
}

test('the bundle boots against the CSMS, reports its connectors, plugs a cable and quits', async () => {
  const server = await startTestCsms();
  servers.push(server);
  const station = fromBundle(['--csms', server.url, '--id', 'BUNDLE-1', '--db', path.join(dir, 'a.db')]);
  const boot = await server.waitForCall('BootNotification', (c) => c.identity === 'BUNDLE-1', WAIT_MS);
  assert.equal((boot.payload as { reason?: string }).reason, 'PowerUp');
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  for (const evseId of [1, 2]) {
    await server.waitForCall(
      'StatusNotification',
      (c) => c.identity === 'BUNDLE-1' && (c.payload as { evseId?: number }).evseId === evseId,
      WAIT_MS,
    );
  }
  station.send('plug 1');
  await station.waitFor('connector event Occupied', is.connector(1, 1, 'Occupied'));
  station.send('quit');
  assert.deepEqual(await station.exited, { code: 0, signal: null });
});

test('the embedded CSMS (no --csms) is a chunk of its own, loaded only when used', async () => {
  // A CLI given --csms must not load ocpp-rpc (cold start): not imported by the entry chunk.
  assert.doesNotMatch(await readFile(bundle, 'utf8'), /from ["']ocpp-rpc["']/);
  const station = fromBundle(['--id', 'BUNDLE-EMB', '--db', path.join(dir, 'embedded.db')]);
  await station.waitFor('embedded CSMS listening', (e) => e.type === 'csms' && e.state === 'listening');
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  station.send('quit');
  assert.deepEqual(await station.exited, { code: 0, signal: null });
});

test('a bad command line from the bundle: exit code 2 and the message naming the option', async () => {
  const station = fromBundle(['--no-such-option']);
  assert.deepEqual(await station.exited, { code: 2, signal: null });
  assert.match(station.stderr(), /no-such-option/);
});

test('main.js takes the bundle only when it is newer than main.js and not opted out', async () => {
  const dist = path.join(dir, 'dist');
  const main = path.join(dist, 'src/cli/main.js');
  await mkdir(path.dirname(main), { recursive: true });
  await writeFile(main, '');
  assert.equal(usableBundle(main, {}), undefined, 'no bundle');
  const own = cliBundlePath(dist);
  await mkdir(path.dirname(own), { recursive: true });
  await writeFile(own, '');
  const now = Date.now() / 1000;
  await utimes(main, now - 10, now - 10);
  assert.equal(usableBundle(main, {}), pathToFileURL(own).href);
  assert.equal(usableBundle(main, { OCPP_STATION_BUNDLE: '0' }), undefined, 'opted out');
  await utimes(main, now + 10, now + 10);
  assert.equal(usableBundle(main, {}), undefined, 'main.js rebuilt after the bundle');
});

/** Runs the CommonJS bundle as `main.js` does when a code cache is there; stderr first says whether V8 took it. */
function fromCachedBundle(args: string[], cache: string): CliProcess {
  const loader = pathToFileURL(path.join(REPO_ROOT, 'src/cli/cli-code-cache.ts')).href;
  const script = [
    `const { loadCachedCli } = await import(${JSON.stringify(loader)});`,
    'const loaded = loadCachedCli(process.env.OCPP_TEST_SCRIPT, process.env.OCPP_TEST_CACHE);',
    'process.stderr.write(`cache rejected: ${loaded.cacheRejected}\\n`);',
    'const m = loaded.exports;',
    'm.exitWhenDone(await m.runCli(process.argv.slice(1), m.processCliIo()));',
  ].join('\n');
  const p = spawnCli(['--json', ...args], {
    command: [process.execPath, '--import', 'tsx', '--input-type=module', '-e', script, '--'],
    env: { ...process.env, OCPP_TEST_SCRIPT: path.join(dir, 'bundle/cli-app.cjs'), OCPP_TEST_CACHE: cache },
  });
  processes.push(p);
  return p;
}

test('the CommonJS bundle boots with the code cache the build wrote, which V8 accepts; every bundle file is ASCII', async () => {
  const server = await startTestCsms();
  servers.push(server);
  const cache = path.join(dir, 'bundle/cli-app.cjs.cache');
  const station = fromCachedBundle(
    ['--csms', server.url, '--id', 'CACHED-1', '--db', path.join(dir, 'c.db')],
    cache,
  );
  await server.waitForCall('BootNotification', (c) => c.identity === 'CACHED-1', WAIT_MS);
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  station.send('quit');
  assert.deepEqual(await station.exited, { code: 0, signal: null });
  assert.match(station.stderr(), /^cache rejected: false$/m);
  // One non-ASCII character would make V8 hold the whole source as a two-byte string.
  for (const file of ['cli-app.cjs', 'cli-app.mjs']) {
    assert.doesNotMatch(await readFile(path.join(dir, 'bundle', file), 'utf8'), /[\u0080-\uffff]/, file);
  }
});

test('a code cache V8 rejects (another build, another Node.js) is ignored: the bundle compiles and runs', async () => {
  const cache = path.join(dir, 'garbage.cache');
  await writeFile(cache, Buffer.alloc(4096, 7));
  const station = fromCachedBundle(['--no-such-option'], cache);
  assert.deepEqual(await station.exited, { code: 2, signal: null });
  assert.match(station.stderr(), /^cache rejected: true$/m);
  assert.match(station.stderr(), /no-such-option/);
  const missing = fromCachedBundle(['--no-such-option'], path.join(dir, 'missing.cache'));
  assert.deepEqual(await missing.exited, { code: 2, signal: null });
  assert.match(missing.stderr(), /^cache rejected: false$/m);
});

test('the embedded CSMS (no --csms) loads on use from the CommonJS bundle too', async () => {
  const station = fromCachedBundle(
    ['--id', 'CACHED-EMB', '--db', path.join(dir, 'cached-embedded.db')],
    path.join(dir, 'bundle/cli-app.cjs.cache'),
  );
  await station.waitFor('embedded CSMS listening', (e) => e.type === 'csms' && e.state === 'listening');
  await station.waitFor('registration Accepted', is.registration('Accepted'));
  station.send('quit');
  assert.deepEqual(await station.exited, { code: 0, signal: null });
});

test('main.js takes the code cache only when bundle and cache are newer than main.js, and nothing opts out', async () => {
  const dist = path.join(dir, 'dist-cache');
  const main = path.join(dist, 'src/cli/main.js');
  await mkdir(path.dirname(main), { recursive: true });
  await writeFile(main, '');
  const files = codeCachePaths(dist);
  assert.equal(usableCodeCache(main, {}, []), undefined, 'no bundle');
  await mkdir(path.dirname(files.script), { recursive: true });
  await writeFile(files.script, '');
  const now = Date.now() / 1000;
  await utimes(main, now - 20, now - 20);
  assert.equal(usableCodeCache(main, {}, []), undefined, 'no cache');
  await writeFile(files.cache, '');
  await utimes(files.script, now - 10, now - 10);
  assert.deepEqual(usableCodeCache(main, {}, []), files);
  assert.equal(usableCodeCache(main, { OCPP_STATION_CODE_CACHE: '0' }, []), undefined, 'opted out');
  // The unbundled modules asked for: the cached script is a bundle as well (docs/cli.md).
  assert.equal(usableCodeCache(main, { OCPP_STATION_BUNDLE: '0' }, []), undefined, 'bundles opted out');
  assert.equal(usableCodeCache(main, {}, ['--inspect']), undefined, 'Node.js options');
  await utimes(files.cache, now - 15, now - 15);
  assert.equal(usableCodeCache(main, {}, []), undefined, 'cache older than the bundle');
  await utimes(files.cache, now, now);
  await utimes(main, now + 10, now + 10);
  assert.equal(usableCodeCache(main, {}, []), undefined, 'main.js rebuilt after the bundle');
});
