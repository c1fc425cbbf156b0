/**
 * Cold start of the built CLI (issue 9): ms from spawning `node <entry> --csms ... --id COLDn` to
 * the BootNotification arriving at the bench CSMS (bench/fleet/csms-process.ts reports identities
 * starting with COLD), against ms from spawn to exit of `node -e 0`. The runs are interleaved
 * (node -e 0, then each variant, repeated) so that every variant sees the same load of the shared
 * machine; the figure is the median.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** One way of starting the CLI: a script path and node options before it (e.g. a snapshot blob), or an executable. */
export interface ColdStartVariant {
  label: string;
  entry: string;
  nodeArgs?: string[];
  /** Added to the environment of the CLI (e.g. `OCPP_STATION_SNAPSHOT: '0'`). */
  env?: Record<string, string>;
}

export interface ColdStartResult {
  nodeMs: number;
  nodeAll: number[];
  variants: { label: string; ms: number; all: number[] }[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function nodeBaseline(): Promise<number> {
  const t = performance.now();
  await new Promise((resolve) => spawn(process.execPath, ['-e', '0']).once('exit', resolve));
  return performance.now() - t;
}

async function cliRun(
  csms: ChildProcess,
  url: string,
  variant: ColdStartVariant,
  identity: string,
  dir: string,
) {
  const booted = new Promise<void>((resolve) => {
    const listener = (m: { boot?: string }) => {
      if (m.boot !== identity) return;
      csms.off('message', listener);
      resolve();
    };
    csms.on('message', listener);
  });
  const t = performance.now();
  const cliArgs = ['--csms', url, '--id', identity, '--db', path.join(dir, `${identity}.db`), '--json'];
  // A script is run by this Node.js; anything else (a shell launcher) is run itself.
  const cli = /\.[cm]?js$/.test(variant.entry)
    ? spawn(process.execPath, [...(variant.nodeArgs ?? []), variant.entry, ...cliArgs], {
        stdio: ['pipe', 'ignore', 'inherit'],
        env: { ...process.env, ...variant.env },
      })
    : spawn(variant.entry, cliArgs, {
        stdio: ['pipe', 'ignore', 'inherit'],
        env: { ...process.env, ...variant.env },
      });
  const exitedEarly = new Promise<never>((_resolve, reject) =>
    cli.once('exit', (code) => reject(new Error(`${variant.label}: CLI exited with ${code} before booting`))),
  );
  await Promise.race([booted, exitedEarly]);
  const ms = performance.now() - t;
  cli.removeAllListeners('exit');
  const exited = new Promise((resolve) => cli.once('exit', resolve));
  cli.kill('SIGTERM');
  await exited;
  return ms;
}

/**
 * Measures `runs` cold starts of each variant, interleaved with `node -e 0`.
 *
 * @example
 * const r = await measureColdStart(csms.child, csms.url, dir, [{ label: 'cli', entry: 'dist/src/cli/main.js' }]);
 * console.log(r.variants[0].ms / r.nodeMs);
 */
export async function measureColdStart(
  csms: ChildProcess,
  url: string,
  dir: string,
  variants: ColdStartVariant[],
  runs = 5,
): Promise<ColdStartResult> {
  const nodeAll: number[] = [];
  const all = variants.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    nodeAll.push(await nodeBaseline());
    for (const [v, variant] of variants.entries()) {
      all[v]!.push(await cliRun(csms, url, variant, `COLD${v}x${i}`, dir));
    }
  }
  return {
    nodeMs: median(nodeAll),
    nodeAll,
    variants: variants.map((variant, v) => ({ label: variant.label, ms: median(all[v]!), all: all[v]! })),
  };
}
