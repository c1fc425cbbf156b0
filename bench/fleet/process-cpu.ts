/**
 * CPU time of another process, read from Linux's `/proc/<pid>/stat`: the fleet bench's load process
 * reads the bench CSMS's CPU around its boot storm, so each load's boot has two costs side by side
 * (its own and the CSMS's), and the CPU budget a boot may spend for a given boot-storm rate on the
 * machine's cores can be computed from one run (docs/fleet.md, "The boot storm's CPU budget").
 */
import { readFileSync } from 'node:fs';

/**
 * Clock ticks per second of `/proc/<pid>/stat`'s utime and stime: USER_HZ, which Linux fixes at 100
 * for user space on every architecture it exports to (`getconf CLK_TCK`).
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
  const fields = stat.slice(end + 2).trim().split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime))
    throw new Error(`no utime/stime in /proc/<pid>/stat: ${stat.slice(0, 80)}`);
  return ((utime + stime) * 1000) / USER_HZ;
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
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseProcStatCpuMs(stat);
}
