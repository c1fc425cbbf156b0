/**
 * The checks of the CLI's option values (cli-options.ts): each turns a value into what the station
 * uses or throws a CliUsageError naming the option; and the rewrites for options with an optional
 * value, which parseArgs cannot express.
 */
import { FIRMWARE_DURING_TRANSACTION, type FirmwareDuringTransaction } from '../firmware/station-firmware.js';
import { parseShard, ShardError, type ShardSpec } from './fleet-shard.js';
import { DEFAULT_INSPECT_URL, MAX_WORKERS } from './cli-defaults.js';
import { CliUsageError } from './cli-usage-error.js';

/**
 * `--inspect` takes an optional value, which parseArgs cannot express: a bare `--inspect` (last, or
 * followed by another option) gets the default URL.
 */
export function withInspectValue(argv: readonly string[]): string[] {
  return argv.map((arg, i) => {
    const next = argv[i + 1];
    return arg === '--inspect' && (next === undefined || next.startsWith('-'))
      ? `--inspect=${DEFAULT_INSPECT_URL}`
      : arg;
  });
}

/** `--inspect <url>`: a ws:// or wss:// URL. */
export function checkInspectUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'ws:' && url?.protocol !== 'wss:') {
    throw new CliUsageError(
      `--inspect ${JSON.stringify(value)}: expected the inspector's websocket URL, e.g. ${DEFAULT_INSPECT_URL}`,
    );
  }
  return value;
}

/** `--workers` and `--shard`: they split a fleet, so they need `--count`. */
export function fleetSplit(
  values: { count?: string; workers?: string; shard?: string; inspect?: string; visualize?: string },
  count: number,
): { workers?: number; shard?: ShardSpec } {
  const split: { workers?: number; shard?: ShardSpec } = {};
  if (values.shard !== undefined) {
    if (values.count === undefined)
      throw new CliUsageError(`--shard ${JSON.stringify(values.shard)}: needs --count (the size of the whole fleet)`);
    try {
      split.shard = parseShard(values.shard);
    } catch (error) {
      if (error instanceof ShardError) throw new CliUsageError(error.message);
      throw error;
    }
    if (split.shard.parts > count) {
      throw new CliUsageError(
        `--shard ${JSON.stringify(values.shard)}: ${split.shard.parts} shards of --count ${count}: a shard would have no station (at most ${count} shards)`,
      );
    }
  }
  if (values.workers !== undefined) {
    if (values.count === undefined)
      throw new CliUsageError(`--workers ${JSON.stringify(values.workers)}: needs --count (workers split a fleet)`);
    split.workers = positiveInteger('--workers', values.workers, MAX_WORKERS);
    // Each worker thread would need an inspector connection of its own.
    if (split.workers > 1 && values.inspect !== undefined)
      throw new CliUsageError('--inspect: not with --workers (the actors run in several threads); use --workers 1');
    // The page's sources read each ChargePoint's event stream in this thread.
    if (split.workers > 1 && values.visualize !== undefined)
      throw new CliUsageError('--visualize: not with --workers (the stations run in other threads); use --workers 1');
  }
  return split;
}

/** A whole number from 1 to `max`, for `option`. */
export function positiveInteger(option: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new CliUsageError(`${option} ${JSON.stringify(text)}: expected a whole number from 1 to ${max}`);
  }
  return value;
}

/**
 * `--visualize [port]` has an optional value, which parseArgs cannot express: a following argument
 * that is a number is its port (the CLI takes no positional arguments, so nothing else can be
 * meant), and a bare `--visualize` becomes `--visualize=` (a free port).
 */
export function optionalPortValue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg !== '--visualize') {
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('-')) {
      out.push(`--visualize=${next}`);
      i += 1;
    } else out.push('--visualize=');
  }
  return out;
}

/** `--visualize` port: 0-65535; empty (no port given) is 0, a free port. */
export function checkPort(value: string): number {
  if (value === '') return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new CliUsageError(
      `--visualize ${JSON.stringify(value)}: a port is an integer 0-65535 (0 or none: a free port)`,
    );
  return port;
}

/** `--firmware-during-tx`: none, download or all. */
export function checkFirmwareDuringTx(value: string): FirmwareDuringTransaction {
  const found = FIRMWARE_DURING_TRANSACTION.find((v) => v === value);
  if (found === undefined) {
    throw new CliUsageError(
      `--firmware-during-tx ${JSON.stringify(value)}: expected one of ${FIRMWARE_DURING_TRANSACTION.join(', ')}`,
    );
  }
  return found;
}

/** `--replay <file>`: a path that is not empty. */
export function checkReplay(value: string): string {
  if (value.trim() === '') throw new CliUsageError('--replay: the recording path is empty');
  return value;
}

/** A number greater than 0, for `option`. */
export function positiveNumber(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new CliUsageError(`${option} ${JSON.stringify(text)}: expected a number greater than 0`);
  }
  return value;
}

/** `--csms`: a ws:// or wss:// URL without a fragment. */
export function checkCsmsUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliUsageError(
      `--csms ${JSON.stringify(value)}: not a URL (expected e.g. ws://127.0.0.1:9000/ocpp)`,
    );
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new CliUsageError(
      `--csms ${JSON.stringify(value)}: the scheme must be ws:// or wss://, not ${url.protocol}//`,
    );
  }
  if (url.hash !== '')
    throw new CliUsageError(`--csms ${JSON.stringify(value)}: a CSMS URL has no #fragment`);
  return value;
}
