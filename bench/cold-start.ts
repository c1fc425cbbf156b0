/**
 * Cold start alone (issue 9): the built CLI to BootNotification on the wire, median of `--runs`
 * (5), against `node -e 0` in the same run, with the bench CSMS in another process. Several ways of
 * starting can be compared in the same minute (runs interleaved): `--entry label=path[@nodeArg...]`,
 * repeatable (`@NAME=value` sets an environment variable instead); default: `dist/src/cli/main.js`
 * unbundled, from its ES bundle and from its CommonJS bundle with the V8 code cache (main.js' first
 * choice), and the startup snapshot when `npm run build:snapshot` made one
 * (docs/fleet/cold-start.md). On Linux each variant also shows its CPU ms until the boot.
 *
 * Run: `npm run bench -- cold-start [--runs 5] [--no-build] [--entry base=.tmp/base/dist/src/cli/main.js@OCPP_STATION_SNAPSHOT=0]`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startCsms } from './fleet.js';
import { snapshotBlobPath } from '../src/cli/snapshot-launcher.js';
import { measureColdStart, type ColdStartVariant } from './fleet/cold-start-runs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseEntry(spec: string): ColdStartVariant {
  const [label, rest] = spec.includes('=')
    ? [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)]
    : [spec, spec];
  const [entry, ...args] = rest.split('@');
  // `@NAME=value` sets an environment variable of the CLI (e.g. @OCPP_STATION_SNAPSHOT=0).
  const isEnv = (arg: string) => /^[A-Z_][A-Z0-9_]*=/.test(arg);
  const env = Object.fromEntries(
    args.filter(isEnv).map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]),
  );
  return { label, entry: path.resolve(root, entry!), nodeArgs: args.filter((a) => !isEnv(a)), env };
}

export async function run(): Promise<void> {
  const first = process.argv.findIndex((a, i) => i >= 2 && a.startsWith('--'));
  const { values } = parseArgs({
    args: first === -1 ? [] : process.argv.slice(first),
    strict: true,
    options: {
      runs: { type: 'string', default: '5' },
      entry: { type: 'string', multiple: true },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const dist = path.join(root, 'dist');
  const blob = snapshotBlobPath(dist);
  // A plain build would leave the blob older than main.js, and the launcher would not use it.
  if (!values['no-build'])
    execFileSync('npm', ['run', '--silent', existsSync(blob) ? 'build:snapshot' : 'build'], {
      cwd: root,
      stdio: 'inherit',
    });
  const variants = (values.entry ?? []).map(parseEntry);
  if (variants.length === 0) {
    const main = path.join(dist, 'src/cli/main.js');
    // The unbundled modules (dist/src/) against the single-file ES bundle and the CommonJS bundle
    // with its code cache (dist/bundle/, npm run build; main.js' first choice).
    const none = { OCPP_STATION_SNAPSHOT: '0', OCPP_STATION_CODE_CACHE: '0' };
    variants.push({
      label: 'no snapshot, unbundled',
      entry: main,
      env: { ...none, OCPP_STATION_BUNDLE: '0' },
    });
    variants.push({ label: 'no snapshot, ES bundle', entry: main, env: none });
    variants.push({ label: 'main.js (code cache)', entry: main, env: { OCPP_STATION_SNAPSHOT: '0' } });
    if (existsSync(blob)) {
      variants.push({ label: 'snapshot via main.js', entry: main, env: { OCPP_STATION_CODE_CACHE: '0' } });
      const launcher = path.join(dist, 'snapshot/ocpp-station');
      if (existsSync(launcher)) variants.push({ label: 'dist/snapshot/ocpp-station', entry: launcher });
    }
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'ocpp-cold-start-'));
  const csms = await startCsms();
  try {
    const result = await measureColdStart(csms.child, csms.url, dir, variants, Number(values.runs));
    const f = (n: number) => n.toFixed(0);
    console.log(`cold start, built CLI to BootNotification on the wire (median of ${values.runs})`);
    console.log(
      `  ${'node -e 0'.padEnd(28)} ${f(result.nodeMs).padStart(6)} ms   [${result.nodeAll.map(f).join(', ')}]`,
    );
    for (const v of result.variants) {
      console.log(
        `  ${v.label.padEnd(28)} ${f(v.ms).padStart(6)} ms   ${(v.ms / result.nodeMs).toFixed(2)}× node -e 0   [${v.all.map(f).join(', ')}]` +
          (Number.isNaN(v.cpuMs) ? '' : `   CPU ${f(v.cpuMs)} ms`),
      );
    }
  } finally {
    csms.child.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
