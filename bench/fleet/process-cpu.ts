/**
 * CPU time of a process or of one of its threads, read from Linux's `/proc`: the fleet bench's load
 * process reads the bench CSMS's CPU and its own main thread's around its boot storm, so that a
 * load's boot has its costs side by side (its process, its JavaScript thread, the CSMS) and the CPU
 * budget a boot may spend for a given rate can be computed from one run
 * (docs/fleet/boot-budget.md).
 */
import { readFileSync } from 'node:fs';

/**
 * Clock ticks per second of `/proc/<pid>/stat`'s utime and stime: USER_HZ (`getconf CLK_TCK`), 100
 * on x86 and Arm Linux, where the bench runs. A tick is 10 ms: over a 1,000-boot storm a figure per
 * boot is good to ±0.01 ms.
 */
const USER_HZ = 100;

/**
 * User + system CPU time in ms of the whole process (all its threads) from the text of
 * `/proc/<pid>/stat`. The command name (field 2) is in parentheses and may hold spaces or `)`, so
 * fields are counted from the last `)`: utime and stime are fields 14 and 15.
 *
 * @example
 * parseProcStatCpuMs('42 (node) S 1 42 42 0 -1 4194304 10 0 0 0 250 30 0 0 20 0 11'); // 2800
 */
export function parseProcStatCpuMs(stat: string): number {
  const end = stat.lastIndexOf(')');
  if (end === -1) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  // After ") ": field 3 (state) is index 0, so field n is index n - 3.
  const fields = stat
    .slice(end + 2)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime))
    throw new Error(`no utime/stime in /proc/<pid>/stat: ${stat.slice(0, 80)}`);
  return ((utime + stime) * 1000) / USER_HZ;
}

/** Reads a stat file; undefined where it cannot be read (not Linux, the process or thread gone). */
function readStat(file: string): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStatCpuMs(stat);
}

/**
 * The process's CPU time in ms so far, or `undefined` where `/proc` cannot be read (not Linux, the
 * process gone): the figure is then left out of the bench's output, not guessed.
 *
 * @example
 * const before = processCpuMs(csmsPid);
 * // ... the boot storm ...
 * const csmsMs = before === undefined ? undefined : (processCpuMs(csmsPid) ?? before) - before;
 */
export function processCpuMs(pid: number): number | undefined {
  return readStat(`/proc/${pid}/stat`);
}

/**
 * One thread's CPU time in ms so far (`/proc/<pid>/task/<tid>/stat`; a process's main thread has
 * tid = pid), or `undefined` where it cannot be read.
 *
 * @example
 * const mainMs = threadCpuMs(process.pid, process.pid); // this process's JavaScript thread alone
 */
export function threadCpuMs(pid: number, tid: number): number | undefined {
  return readStat(`/proc/${pid}/task/${tid}/stat`);
}
