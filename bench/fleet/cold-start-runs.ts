/**
 * Cold start of the built CLI (issue 9): ms from spawning `node <entry> --csms ... --id COLDn` to
 * the BootNotification arriving at the bench CSMS (bench/fleet/csms-process.ts reports identities
 * starting with COLD), against ms from spawn to exit of `node -e 0`. The runs are interleaved
 * (node -e 0, then each variant, repeated) so that every variant sees the same load of the shared
 * machine; the figure is the median. On Linux each run also gives the CPU time (user + system, all
 * threads, the launcher and the Node.js it started) the CLI spent until the BootNotification
 * arrived: far less dependent on the load of a shared machine than the wall time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
  /** `cpuMs`: median CPU ms at the BootNotification (Linux; NaN elsewhere). */
  variants: { label: string; ms: number; all: number[]; cpuMs: number; cpuAll: number[] }[];
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** CPU ms (user + system) of a process and its descendants, from /proc; NaN when not on Linux. */
function cpuMsOfTree(pid: number): number {
  try {
    // The command may hold spaces or parentheses: the fields start after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children === '' ? [] : children.split(' ')) ms += cpuMsOfTree(Number(child));
    }
    return ms;
  } catch {
    return NaN;
  }
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
  const cpuMs = cli.pid === undefined ? NaN : cpuMsOfTree(cli.pid);
  cli.removeAllListeners('exit');
  const exited = new Promise((resolve) => cli.once('exit', resolve));
  cli.kill('SIGTERM');
  await exited;
  return { ms, cpuMs };
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
  const cpuAll = variants.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    nodeAll.push(await nodeBaseline());
    for (const [v, variant] of variants.entries()) {
      const run = await cliRun(csms, url, variant, `COLD${v}x${i}`, dir);
      all[v]!.push(run.ms);
      cpuAll[v]!.push(run.cpuMs);
    }
  }
  return {
    nodeMs: median(nodeAll),
    nodeAll,
    variants: variants.map((variant, v) => ({
      label: variant.label,
      ms: median(all[v]!),
      all: all[v]!,
      cpuMs: median(cpuAll[v]!),
      cpuAll: cpuAll[v]!,
    })),
  };
}
