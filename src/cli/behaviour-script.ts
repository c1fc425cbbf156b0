/**
 * The script form of `--behaviour <file>` (docs/cli.md "Behaviour"): a timed list of the console
 * commands a person would type, per station or for every station. One command per line:
 *
 *   # time   [@stationId]  console command
 *   0s                     plug 1
 *   +5s                    auth DRIVER-1 1
 *   +1s                    charge 1
 *   2m       @CP00002      plug 2
 *
 * A time is a duration after the station has started (`90s`, `1h30m`), or `+<duration>` after the
 * previous line's time; times never go back. Blank lines and `#` comments are skipped. Every command
 * is checked with the console's own parser, so a script fails at load time, naming its file and
 * line, for anything a person typing it would be told is wrong.
 */
import { readFile } from 'node:fs/promises';
import { CommandSyntaxError, parseCommand } from './console-commands.js';
import { parseDurationMs } from './behaviour-profile.js';

export interface ScriptEntry {
  /** 1-based line in the file. */
  line: number;
  /** When, after the station's start (station clock), ms. */
  atMs: number;
  /** Only this station; undefined: every station. */
  stationId?: string;
  /** The console command as written. */
  command: string;
}

export interface BehaviourScript {
  file: string;
  entries: ScriptEntry[];
}

/**
 * A script that cannot be run; the message starts with `<file>:<line>:`.
 *
 * @example
 * try { parseBehaviourScript('0s plug x', 'run.txt'); } catch (e) { if (e instanceof BehaviourScriptError) console.error(e.message); }
 * // run.txt:1: plug: <evse> must be a positive integer, got 'x'; usage: plug <evse> [connector]
 */
export class BehaviourScriptError extends Error {
  override readonly name = 'BehaviourScriptError';
  /** Catalogue code (docs/errors.md): a bad command line. */
  readonly code = 'ERR_CLI_USAGE';
}

/**
 * Reads and parses a script file; a file that cannot be read is a {@link BehaviourScriptError}
 * naming it.
 *
 * @example
 * const script = await loadBehaviourScript('/tmp/morning.txt');
 * script.entries[0]; // { line: 2, atMs: 0, command: 'plug 1' }
 */
export async function loadBehaviourScript(file: string): Promise<BehaviourScript> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new BehaviourScriptError(`--behaviour ${file}: ${reason}`);
  }
  return parseBehaviourScript(text, file);
}

/**
 * Parses a script's text; `file` names it in errors.
 *
 * @example
 * parseBehaviourScript('0s plug 1\n+10s @CP00002 charge 1', 'demo.txt').entries;
 * // [{ line: 1, atMs: 0, command: 'plug 1' }, { line: 2, atMs: 10000, stationId: 'CP00002', command: 'charge 1' }]
 */
export function parseBehaviourScript(text: string, file: string): BehaviourScript {
  const entries: ScriptEntry[] = [];
  let previous = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fail = (message: string) => new BehaviourScriptError(`${file}:${line}: ${message}`);
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^(\S+)\s+(?:@(\S+)\s+)?(.+)$/.exec(trimmed);
    if (!match) throw fail(`expected '<time> [@stationId] <command>', got ${JSON.stringify(trimmed)}`);
    const [, timeText = '', stationId, command = ''] = match;
    if (command.startsWith('@')) throw fail(`no command after ${command.split(/\s/)[0]}`);
    const relative = timeText.startsWith('+');
    const ms = parseDurationMs(relative ? timeText.slice(1) : timeText);
    if (ms === undefined) {
      throw fail(
        `${JSON.stringify(timeText)} is not a time: expected a duration such as 0s, 90s, 1h30m or +5s`,
      );
    }
    const atMs = relative ? previous + ms : ms;
    if (atMs < previous) {
      throw fail(
        `${timeText} is before the previous line's time (${previous / 1000} s): times never go back`,
      );
    }
    try {
      if (parseCommand(command) === undefined) throw fail('a time without a command');
    } catch (error) {
      if (error instanceof CommandSyntaxError) throw fail(error.message);
      throw error;
    }
    previous = atMs;
    entries.push({ line, atMs, ...(stationId === undefined ? {} : { stationId }), command: command.trim() });
  });
  if (entries.length === 0)
    throw new BehaviourScriptError(`${file}: no commands (only blank lines and comments)`);
  return { file, entries };
}

/**
 * Checks that every `@stationId` of the script is a station of this run.
 *
 * @example
 * checkScriptStations(script, new Set(['CP00001', 'CP00002'])); // throws naming the line of an unknown one
 */
export function checkScriptStations(script: BehaviourScript, stationIds: ReadonlySet<string>): void {
  for (const entry of script.entries) {
    if (entry.stationId !== undefined && !stationIds.has(entry.stationId)) {
      const ids = [...stationIds];
      const range = ids.length === 1 ? ids[0] : `${ids[0]} .. ${ids.at(-1)}`;
      throw new BehaviourScriptError(
        `${script.file}:${entry.line}: no station ${JSON.stringify(entry.stationId)} in this run (${range})`,
      );
    }
  }
}
